package io.playbill.gateway.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.DispatcherType;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

import java.util.ArrayList;
import java.util.List;

/** Controllers' futures are answered by {@link FutureAnswers}, ahead of Spring MVC's own handler for them. */
@Configuration(proxyBeanMethods = false)
class FutureAnswersConfiguration {

    /**
     * Outside Spring Security and the gateway's own filters, which may touch the response on their way out. Only the
     * character-encoding filter and the request's observation (the highest precedence and the next) are further out,
     * and neither touches the response after the chain.
     */
    static final int AFTER_DISPATCH_ORDER = Ordered.HIGHEST_PRECEDENCE + 2;

    @Bean
    FilterRegistrationBean<FutureAnswers.AfterDispatch> futureAnswersAfterDispatch() {
        FilterRegistrationBean<FutureAnswers.AfterDispatch> registration =
                new FilterRegistrationBean<>(new FutureAnswers.AfterDispatch());
        registration.setOrder(AFTER_DISPATCH_ORDER);
        registration.setDispatcherTypes(DispatcherType.REQUEST);
        return registration;
    }

    /** Handlers are asked in order and the first that supports a return type takes it: ours goes first. */
    @Bean
    SmartInitializingSingleton futureAnswersFirst(RequestMappingHandlerAdapter adapter, ObjectMapper json,
                                                  ApiExceptionHandler refusals, WebMvcProperties mvc) {
        return () -> {
            List<HandlerMethodReturnValueHandler> handlers = new ArrayList<>();
            handlers.add(new FutureAnswers(json, refusals, mvc.getAsync().getRequestTimeout()));
            handlers.addAll(adapter.getReturnValueHandlers());
            adapter.setReturnValueHandlers(handlers);
        };
    }
}
