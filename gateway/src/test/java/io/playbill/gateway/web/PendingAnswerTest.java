package io.playbill.gateway.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.playbill.gateway.ledger.LedgerUnavailableException;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import org.junit.jupiter.api.Test;
import org.springframework.core.MethodParameter;
import org.springframework.mock.web.MockAsyncContext;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.method.support.ModelAndViewContainer;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When {@link FutureAnswers} writes an answer: after the request's first dispatch has returned, once, and never after
 * the request ended. The servlet container's part is the mock's here; {@code FutureAnswersTest} runs it in Tomcat.
 */
class PendingAnswerTest {

    private final FutureAnswers answers = new FutureAnswers(new ObjectMapper(), new ApiExceptionHandler(), null);
    private final MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/game/renew");
    private final MockHttpServletResponse response = new MockHttpServletResponse();

    PendingAnswerTest() {
        request.setAsyncSupported(true);
    }

    /** The shape of a game handler. */
    CompletableFuture<Token> renew() {
        return null;
    }

    record Token(String token) {
    }

    /** Jackson cannot write it. */
    static final class Unwritable {

        public String getBroken() {
            throw new IllegalStateException("no JSON for this");
        }
    }

    @Test
    void anAnswerReadyDuringTheDispatchIsWrittenOnlyOnceTheDispatchHasReturned() throws Exception {
        CompletableFuture<Token> future = new CompletableFuture<>();

        new FutureAnswers.AfterDispatch().doFilter(request, response, (req, res) -> {
            handle(future);
            future.complete(new Token("t1"));
            assertThat(response.getContentAsString()).as("nothing written while filters may still touch it").isEmpty();
        });

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getContentType()).isEqualTo("application/json");
        assertThat(response.getContentAsString()).isEqualTo("{\"token\":\"t1\"}");
        assertThat(request.isAsyncStarted()).as("completed").isFalse();
    }

    @Test
    void anAnswerReadyAfterTheDispatchIsWrittenWhenItIsReady() throws Exception {
        CompletableFuture<Token> future = new CompletableFuture<>();
        new FutureAnswers.AfterDispatch().doFilter(request, response, (req, res) -> handle(future));
        assertThat(request.isAsyncStarted()).isTrue();

        future.complete(new Token("t2"));

        assertThat(response.getContentAsString()).isEqualTo("{\"token\":\"t2\"}");
        assertThat(request.isAsyncStarted()).isFalse();
    }

    @Test
    void aTimedOutRequestIsAnsweredUnavailableAndALateAnswerWritesNothing() throws Exception {
        CompletableFuture<Token> future = new CompletableFuture<>();
        new FutureAnswers.AfterDispatch().doFilter(request, response, (req, res) -> handle(future));
        MockAsyncContext async = (MockAsyncContext) request.getAsyncContext();
        List<AsyncListener> listeners = List.copyOf(async.getListeners());

        for (AsyncListener listener : listeners) {
            listener.onTimeout(new AsyncEvent(async));
        }
        String timedOut = response.getContentAsString();
        future.complete(new Token("late"));

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(timedOut).contains("\"code\":\"service_unavailable\"");
        assertThat(response.getContentAsString()).as("the late answer touched nothing").isEqualTo(timedOut);
    }

    @Test
    void aValueJacksonCannotWriteIsAnInternalErrorNotAnEmptySuccess() throws Exception {
        CompletableFuture<Unwritable> future = new CompletableFuture<>();
        new FutureAnswers.AfterDispatch().doFilter(request, response, (req, res) -> handle(future));

        future.complete(new Unwritable());

        assertThat(response.getStatus()).isEqualTo(500);
        assertThat(response.getContentAsString()).contains("\"code\":\"internal_error\"");
    }

    @Test
    void aRefusalIsWrittenWithItsStatusCodeAndHeaders() throws Exception {
        CompletableFuture<Token> future = new CompletableFuture<>();
        new FutureAnswers.AfterDispatch().doFilter(request, response, (req, res) -> handle(future));

        future.completeExceptionally(new LedgerUnavailableException(Duration.ofSeconds(7)));

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeader("Retry-After")).isEqualTo("7");
        assertThat(response.getContentAsString()).contains("\"code\":\"ledger_unavailable\"");
    }

    private void handle(CompletableFuture<?> future) {
        try {
            MethodParameter returnType = new MethodParameter(PendingAnswerTest.class.getDeclaredMethod("renew"), -1);
            assertThat(answers.supportsReturnType(returnType)).isTrue();
            answers.handleReturnValue(future, returnType, new ModelAndViewContainer(),
                    new ServletWebRequest(request, response));
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
    }
}
