package io.playbill.service.web;

/**
 * The one error shape of every service: {@code {"error":{"code":"…","message":"…"}}}. {@code code} is stable,
 * lowercase and meant for programs; {@code message} is for people and may change.
 */
public record ApiErrorBody(Detail error) {

    public record Detail(String code, String message) {
    }

    public static ApiErrorBody of(String code, String message) {
        return new ApiErrorBody(new Detail(code, message));
    }
}
