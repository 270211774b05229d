package io.playbill.service.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.http.HttpStatus;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Errors Tomcat answers before any servlet runs — a request target with characters a URI may not hold, an encoded NUL,
 * a request line or headers over the size limit — in the {@link ApiErrorBody} shape instead of Tomcat's HTML page: the
 * host's error report valve is replaced by {@link JsonErrorReportValve}. Everything Spring answers is JSON already and
 * is left alone (the valve writes only an error nobody has written). Every service imports it.
 */
public class ContainerErrorsInJson implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    private final ObjectMapper json;

    public ContainerErrorsInJson(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                // Naming our class keeps the host from adding its own HTML valve when it starts.
                host.setErrorReportValveClass(JsonErrorReportValve.class.getName());
                host.getPipeline().addValve(new JsonErrorReportValve(json));
            }
        });
    }

    /** Tomcat's {@link ErrorReportValve}, writing {@code {"error":{"code","message"}}} instead of HTML. */
    public static final class JsonErrorReportValve extends ErrorReportValve {

        private final ObjectMapper json;

        JsonErrorReportValve(ObjectMapper json) {
            this.json = json;
        }

        @Override
        protected void report(Request request, Response response, Throwable throwable) {
            int status = response.getStatus();
            // As Tomcat's own: only an error no one has written or reported yet.
            if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
                return;
            }
            AtomicBoolean ioAllowed = new AtomicBoolean();
            response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
            if (!ioAllowed.get()) {
                return;
            }
            HttpStatus known = HttpStatus.resolve(status);
            String message = known == null ? "HTTP " + status : known.getReasonPhrase();
            try {
                response.setContentType("application/json");
                response.setCharacterEncoding(StandardCharsets.UTF_8.name());
                PrintWriter writer = response.getReporter();
                if (writer != null) {
                    writer.write(json.writeValueAsString(ApiErrorBody.of(ApiErrorBody.codeFor(status), message)));
                    response.finishResponse();
                }
            } catch (IOException | IllegalStateException e) {
                // The client has gone or the response cannot be written any more: nothing to answer.
            }
        }
    }
}
