package io.playbill.gateway.web;

import com.fasterxml.jackson.core.JsonProcessingException;
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
import io.playbill.service.web.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.method.support.ModelAndViewContainer;

import java.io.IOException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
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
    /** Whether a handler method's future is answered here, decided once per method. */
    private final Map<Method, Boolean> supported = new ConcurrentHashMap<>();

    FutureAnswers(ObjectMapper json, ApiExceptionHandler refusals, Duration timeout) {
        this.json = json;
        this.refusals = refusals;
        this.timeout = timeout;
    }

    /**
     * A future of a plain body from a handler without {@code @ResponseStatus}: what every handler of the gateway
     * returns. Anything else (a future of a {@code ResponseEntity}, a declared status) is left to Spring MVC.
     */
    @Override
    public boolean supportsReturnType(MethodParameter returnType) {
        return CompletableFuture.class.isAssignableFrom(returnType.getParameterType())
                && supported.computeIfAbsent(returnType.getMethod(), method -> plainBody(returnType));
    }

    private static boolean plainBody(MethodParameter returnType) {
        Class<?> value = ResolvableType.forMethodParameter(returnType).getGeneric(0).resolve(Object.class);
        return !ResponseEntity.class.isAssignableFrom(value) && !HttpEntity.class.isAssignableFrom(value)
                && !returnType.hasMethodAnnotation(ResponseStatus.class)
                && AnnotatedElementUtils.findMergedAnnotation(returnType.getContainingClass(), ResponseStatus.class)
                == null;
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
        Pending pending = new Pending(async, response);
        async.addListener(pending);
        request.setAttribute(PENDING, pending);
        ((CompletableFuture<?>) returnValue).whenComplete(pending::settled);
    }

    /**
     * One request's answer: written once, by whichever of the dispatch's return and the future's completion is last.
     * Writing it and completing the request, a timeout and an error are one at a time: Tomcat ends a timed-out
     * request unless a listener completes it, and must not end it while a writer is still in its response.
     */
    private final class Pending implements AsyncListener {

        private final AsyncContext async;
        private final HttpServletResponse response;
        /** The first dispatch's return and the future's completion. */
        private final AtomicInteger stillAwaited = new AtomicInteger(2);
        /** Set once the response is written or given up; a late writer must not touch a response Tomcat recycled. */
        private boolean over;
        private volatile Object value;
        private volatile Throwable failure;

        Pending(AsyncContext async, HttpServletResponse response) {
            this.async = async;
            this.response = response;
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

        private synchronized void answer() {
            if (over) {
                return;
            }
            over = true;
            try {
                write(failure == null ? success() : refusals.answerFor(failure));
            } catch (RuntimeException e) {
                log.error("Could not write an answer", e);
            } finally {
                async.complete();
            }
        }

        private ResponseEntity<?> success() {
            return value == null ? ResponseEntity.ok().build()
                    : ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(value);
        }

        private void write(ResponseEntity<?> answer) {
            byte[] body;
            try {
                body = answer.getBody() == null ? null : json.writeValueAsBytes(answer.getBody());
            } catch (JsonProcessingException | RuntimeException e) {
                if (answer.getStatusCode().is2xxSuccessful()) {
                    write(refusals.answerFor(e));
                } else {
                    log.error("Could not serialise an error answer", e);
                }
                return;
            }
            response.setStatus(answer.getStatusCode().value());
            answer.getHeaders().forEach((name, values) -> values.forEach(v -> response.addHeader(name, v)));
            if (body != null) {
                response.setContentLength(body.length);
                try {
                    response.getOutputStream().write(body);
                } catch (IOException e) {
                    // The client is gone; nothing is left to tell it.
                    log.debug("Could not write an answer: {}", e.toString());
                }
            }
        }

        @Override
        public synchronized void onTimeout(AsyncEvent event) {
            if (!over) {
                over = true;
                log.warn("No answer within the request timeout ({} ms): 503", async.getTimeout());
                write(refusals.answerFor(new ApiException(HttpStatus.SERVICE_UNAVAILABLE,
                        ErrorCodes.forStatus(HttpStatus.SERVICE_UNAVAILABLE),
                        "No answer within the gateway's request timeout; retry shortly")));
                async.complete();
            }
        }

        @Override
        public synchronized void onError(AsyncEvent event) {
            if (!over) {
                over = true;
                async.complete();
            }
        }

        @Override
        public synchronized void onComplete(AsyncEvent event) {
            over = true;
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
                // Only the REQUEST dispatch passes here, once: the attribute can stay.
                if (request.getAttribute(PENDING) instanceof Pending pending) {
                    pending.dispatchReturned();
                }
            }
        }
    }
}
