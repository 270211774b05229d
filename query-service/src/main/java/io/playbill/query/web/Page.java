package io.playbill.query.web;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.List;

/**
 * One page of a list in a stable order: {@code {"items":[…],"page":0,"size":50,"total":123}}. As CSV, the items
 * only, one row each, with a header row from the item type (also when the page is empty).
 */
public record Page<T extends Record>(List<T> items, int page, int size, long total,
                                     @JsonIgnore Class<T> itemType) {

    public Page {
        items = List.copyOf(items);
    }

    public static <T extends Record> Page<T> of(List<T> items, PageRequest request, long total, Class<T> itemType) {
        return new Page<>(items, request.page(), request.size(), total, itemType);
    }
}
