package io.playbill.query.statement;

import java.util.List;

/**
 * One answer of a keyset read of a statement: {@code {"items":[…],"size":500,"next":"…"}}, with {@code next} the
 * {@code after} of the following answer, null after the last line. No total: counting every line of a long history
 * on every page is what this read avoids. As CSV, the items only (see {@link StatementCsv}), with
 * {@code next} in the {@value StatementController#NEXT_HEADER} header.
 */
public record StatementSlice(List<StatementLineView> items, int size, String next) {

    public StatementSlice {
        items = List.copyOf(items);
    }
}
