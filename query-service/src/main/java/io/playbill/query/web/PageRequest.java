package io.playbill.query.web;

import io.playbill.service.web.ApiException;

/**
 * {@code page} (from 0) and {@code size} (1 to {@value #MAX_SIZE}, default {@value #DEFAULT_SIZE}) of a list.
 */
public record PageRequest(int page, int size) {

    public static final int DEFAULT_SIZE = 50;
    public static final int MAX_SIZE = 500;
    private static final int MAX_PAGE = 1_000_000;

    public static PageRequest of(Integer page, Integer size) {
        int p = page == null ? 0 : page;
        int s = size == null ? DEFAULT_SIZE : size;
        if (p < 0 || p > MAX_PAGE) {
            throw ApiException.invalidField("page", "page is between 0 and " + MAX_PAGE);
        }
        if (s < 1 || s > MAX_SIZE) {
            throw ApiException.invalidField("size", "size is between 1 and " + MAX_SIZE);
        }
        return new PageRequest(p, s);
    }

    public long offset() {
        return (long) page * size;
    }
}
