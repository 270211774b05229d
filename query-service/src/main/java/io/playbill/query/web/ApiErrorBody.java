package io.playbill.query.web;

/** The one error shape: {@code {"error":{"code":"…","message":"…"}}}, as the gateway answers. */
public record ApiErrorBody(Detail error) {

    public record Detail(String code, String message) {
    }

    public static ApiErrorBody of(String code, String message) {
        return new ApiErrorBody(new Detail(code, message));
    }
}
