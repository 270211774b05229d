package io.playbill.service.security;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The firewall's character rules give the stock regular expressions' verdicts (copied from StrictHttpFirewall). */
class FirewallsTest {

    private static final Pattern STOCK_NAME = Pattern.compile("[\\p{IsAssigned}&&[^\\p{IsControl}]]*");
    private static final Pattern STOCK_HEADER_VALUE = Pattern.compile("[\\p{IsAssigned}&&[[^\\p{IsControl}]||\\t]]*");

    @Test
    void everyCodePointGetsTheStockVerdictAloneAndBetweenOthers() {
        List<String> disagreements = new ArrayList<>();
        int refused = 0;
        for (int codePoint = 0; codePoint <= Character.MAX_CODE_POINT; codePoint++) {
            String alone = Character.toString(codePoint);
            for (String text : List.of(alone, "Bearer " + alone + "x")) {
                compare(text, Firewalls::assignedAndNotControl, STOCK_NAME, disagreements);
                compare(text, Firewalls::headerValue, STOCK_HEADER_VALUE, disagreements);
            }
            refused += Firewalls.headerValue(alone) ? 0 : 1;
        }
        assertThat(disagreements).isEmpty();
        // Unassigned code points and the 65 controls but the tab: the comparison saw both verdicts.
        assertThat(refused).isGreaterThan(800_000).isLessThan(Character.MAX_CODE_POINT);
    }

    @Test
    void loneSurrogatesAndSurrogatePairsGetTheStockVerdict() {
        List<String> disagreements = new ArrayList<>();
        for (String text : List.of("\ud83c\udfae", "a\ud800", "\udc00b", "\udbff\udfff", "\ud83c\udfae\u0007")) {
            compare(text, Firewalls::assignedAndNotControl, STOCK_NAME, disagreements);
            compare(text, Firewalls::headerValue, STOCK_HEADER_VALUE, disagreements);
        }
        assertThat(disagreements).isEmpty();
    }

    @Test
    void aTabIsAllowedInAHeaderValueOnlyAndOtherControlsNowhere() {
        assertThat(Firewalls.headerValue("a\tb")).isTrue();
        assertThat(Firewalls.assignedAndNotControl("a\tb")).isFalse();
        assertThat(Firewalls.headerValue("1.2.3.4\u0085")).isFalse();
        assertThat(Firewalls.headerValue("Bearer abc\r\nX-Injected: 1")).isFalse();
        assertThat(Firewalls.headerValue("")).isTrue();
    }

    private static void compare(String text, Predicate<String> ours, Pattern stock, List<String> disagreements) {
        if (ours.test(text) != stock.matcher(text).matches()) {
            disagreements.add(text.codePoints().mapToObj(Integer::toHexString).toList() + " against " + stock);
        }
    }
}
