package io.playbill.gateway.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import io.playbill.service.web.ApiErrorBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.method.support.ModelAndViewContainer;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Answers a controller's {@link CompletableFuture} by writing its value (or its refusal, rendered by
 * {@link ApiExceptionHandler} exactly as a refusal thrown at once) into the response when it completes, and completing
 * the request there. Spring MVC's own way dispatches the request a second time through Tomcat, the filters and the
 * DispatcherServlet only to write the answer, which cost more of the gateway's CPU on a renew than anything of its own
 * (decision 040).
 *
 * <p>The answer is written only once the request's first dispatch has returned through every filter
 * ({@link AfterDispatch}): filters still touch the response on their way out (Spring Security writes its headers
 * then), and a servlet response is not safe to share between threads. Whichever comes second, that return or the
 * future's completion, writes the answer; until then the request holds no thread.
 */
final class FutureAnswers implements HandlerMethodReturnValueHandler {

    private static final Logger log = LoggerFactory.getLogger(FutureAnswers.class);

    /** The request attribute that hands a pending answer to {@link AfterDispatch}. */
    private static final String PENDING = FutureAnswers.class.getName() + ".pending";

    private final ObjectMapper json;
    private final ApiExceptionHandler refusals;
    /** {@code spring.mvc.async.request-timeout}, as Spring MVC would apply it; null: the container's (Tomcat: 30 s). */
    private final Duration timeout;

    FutureAnswers(ObjectMapper json, ApiExceptionHandler refusals, Duration timeout) {
        this.json = json;
        this.refusals = refusals;
        this.timeout = timeout;
    }

    @Override
    public boolean supportsReturnType(MethodParameter returnType) {
        return CompletableFuture.class.isAssignableFrom(returnType.getParameterType());
    }

    @Override
    public void handleReturnValue(Object returnValue, MethodParameter returnType, ModelAndViewContainer mavContainer,
                                  NativeWebRequest webRequest) {
        mavContainer.setRequestHandled(true);
        if (returnValue == null) {
            return;
        }
        HttpServletRequest request = webRequest.getNativeRequest(HttpServletRequest.class);
        HttpServletResponse response = webRequest.getNativeResponse(HttpServletResponse.class);
        // The filters' wrappers, as Spring MVC does, so that what they add on commit is added to this answer too.
        AsyncContext async = request.startAsync(request, response);
        if (timeout != null) {
            async.setTimeout(timeout.toMillis());
        }
        ResponseStatus declared = returnType.getMethodAnnotation(ResponseStatus.class);
        Pending pending = new Pending(async, response, declared == null ? HttpStatus.OK : declared.code());
        async.addListener(pending);
        request.setAttribute(PENDING, pending);
        ((CompletableFuture<?>) returnValue).whenComplete(pending::settled);
    }

    /** One request's answer: written once, by whichever of the dispatch's return and the future's completion is last. */
    private final class Pending implements AsyncListener {

        private final AsyncContext async;
        private final HttpServletResponse response;
        private final HttpStatus status;
        /** The first dispatch's return and the future's completion. */
        private final AtomicInteger stillAwaited = new AtomicInteger(2);
        /** Set once the response is written or given up; a late writer must not touch a response Tomcat recycled. */
        private final AtomicBoolean over = new AtomicBoolean();
        private volatile Object value;
        private volatile Throwable failure;

        Pending(AsyncContext async, HttpServletResponse response, HttpStatus status) {
            this.async = async;
            this.response = response;
            this.status = status;
        }

        void settled(Object value, Throwable failure) {
            this.value = value;
            this.failure = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (stillAwaited.decrementAndGet() == 0) {
                answer();
            }
        }

        void dispatchReturned() {
            if (stillAwaited.decrementAndGet() == 0) {
                answer();
            }
        }

        private void answer() {
            if (over.compareAndSet(false, true)) {
                try {
                    write(failure == null ? success() : refusals.answerFor(failure));
                } finally {
                    async.complete();
                }
            }
        }

        private ResponseEntity<?> success() {
            return value == null ? ResponseEntity.status(status).build()
                    : ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(value);
        }

        private void write(ResponseEntity<?> answer) {
            try {
                byte[] body = answer.getBody() == null ? null : json.writeValueAsBytes(answer.getBody());
                response.setStatus(answer.getStatusCode().value());
                answer.getHeaders().forEach((name, values) -> values.forEach(v -> response.addHeader(name, v)));
                if (body != null) {
                    response.setContentLength(body.length);
                    response.getOutputStream().write(body);
                }
            } catch (IOException e) {
                // The client is gone; nothing is left to tell it.
                log.debug("Could not write an answer: {}", e.toString());
            } catch (RuntimeException e) {
                if (!response.isCommitted() && answer.getStatusCode().is2xxSuccessful()) {
                    response.resetBuffer();
                    write(refusals.answerFor(e));
                } else {
                    log.error("Could not write an answer", e);
                }
            }
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            if (over.compareAndSet(false, true)) {
                write(ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).contentType(MediaType.APPLICATION_JSON)
                        .body(ApiErrorBody.of(
                                ErrorCodes.forStatus(HttpStatus.SERVICE_UNAVAILABLE),
                                "No answer within the gateway's request timeout; retry shortly")));
                async.complete();
            }
        }

        @Override
        public void onError(AsyncEvent event) {
            if (over.compareAndSet(false, true)) {
                async.complete();
            }
        }

        @Override
        public void onComplete(AsyncEvent event) {
            over.set(true);
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // One asynchronous cycle per request here.
        }
    }

    /**
     * The outermost filter but for those that never touch the response on their way out (character encoding, the
     * request's observation): tells a pending answer that the first dispatch is over.
     */
    static final class AfterDispatch implements Filter {

        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            try {
                chain.doFilter(request, response);
            } finally {
                if (request.getAttribute(PENDING) instanceof Pending pending) {
                    request.removeAttribute(PENDING);
                    pending.dispatchReturned();
                }
            }
        }
    }
}
