package io.playbill.query.statement;

import io.playbill.query.web.CsvMessageConverter;
import io.playbill.query.web.Page;
import io.playbill.query.web.PageRequest;
import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * A {@link StatementSlice} asked for as CSV is its lines as a table, as a page of them is: the CSV converter writes a
 * {@link Page} as one row per item, any other record as one row. Its {@code next} is in the
 * {@value StatementController#NEXT_HEADER} header (set for JSON too).
 */
@ControllerAdvice(assignableTypes = StatementController.class)
class StatementCsv implements ResponseBodyAdvice<Object> {

    @Override
    public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
        return CsvMessageConverter.class.isAssignableFrom(converterType);
    }

    @Override
    public Object beforeBodyWrite(Object body, MethodParameter returnType, MediaType contentType,
                                  Class<? extends HttpMessageConverter<?>> converterType, ServerHttpRequest request,
                                  ServerHttpResponse response) {
        if (body instanceof StatementSlice slice) {
            return Page.of(slice.items(), new PageRequest(0, slice.size()), slice.items().size(),
                    StatementLineView.class);
        }
        return body;
    }
}
