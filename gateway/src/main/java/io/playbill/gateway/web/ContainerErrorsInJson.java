package io.playbill.gateway.web;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Errors Tomcat answers before any servlet runs — a request target with characters a URI may not hold, an encoded NUL,
 * a request line or headers over the size limit — in the gateway's JSON shape instead of Tomcat's HTML page: the host's
 * error report valve is replaced by {@link JsonErrorReportValve}. Everything Spring answers is JSON already and is left
 * alone (the valve writes only an error nobody has written).
 */
@Component
public class ContainerErrorsInJson implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    private final JsonErrorWriter errors;

    public ContainerErrorsInJson(JsonErrorWriter errors) {
        this.errors = errors;
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                // Naming our class keeps the host from adding its own HTML valve when it starts.
                host.setErrorReportValveClass(JsonErrorReportValve.class.getName());
                host.getPipeline().addValve(new JsonErrorReportValve(errors));
            }
        });
    }

    /** Tomcat's {@link ErrorReportValve}, writing {@code {"error":{"code","message"}}} instead of HTML. */
    public static final class JsonErrorReportValve extends ErrorReportValve {

        private final JsonErrorWriter errors;

        JsonErrorReportValve(JsonErrorWriter errors) {
            this.errors = errors;
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
                    writer.write(new String(errors.bytes(ErrorCodes.forStatus(HttpStatus.valueOf(status)), message),
                            StandardCharsets.UTF_8));
                    response.finishResponse();
                }
            } catch (IOException | IllegalStateException e) {
                // The client has gone or the response cannot be written any more: nothing to answer.
            }
        }
    }
}
