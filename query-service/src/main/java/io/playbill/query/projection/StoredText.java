package io.playbill.query.projection;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;

/**
 * The one rule for text the read models store. PostgreSQL's {@code text} cannot hold U+0000, and an unpaired
 * surrogate has no UTF-8 form: one such character in one event would fail every batch that writes it, and since the
 * projections never skip an event, stop them all for good. Each becomes U+FFFD (the replacement character);
 * everything else stays as the ledger recorded it (line breaks too: CSV quotes them). The ledger refuses such text
 * now, but events stored before keep it. Applied where every projection and replay gets its events:
 * {@link LedgerEvent}.
 */
public final class StoredText {

    public static final char REPLACEMENT = '\uFFFD';

    private static final ClassValue<Shape> SHAPES = new ClassValue<>() {
        @Override
        protected Shape computeValue(Class<?> type) {
            return new Shape(type);
        }
    };

    private StoredText() {
    }

    /** {@code text} with U+0000 and unpaired surrogates replaced; the same instance when there are none. */
    public static String clean(String text) {
        if (text == null || firstUnstorable(text) < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else if (c == 0 || Character.isSurrogate(c)) {
                out.append(REPLACEMENT);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * An event payload (a record of the ledger API) with every {@code String} component {@link #clean(String)}ed:
     * the same instance when none needed it, which is every event but a rare old one. Anything else is returned as is.
     */
    public static Object cleanPayload(Object payload) {
        return payload != null && payload.getClass().isRecord() ? SHAPES.get(payload.getClass()).cleaned(payload)
                : payload;
    }

    private static int firstUnstorable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0 || Character.isLowSurrogate(c)) {
                return i;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    return i;
                }
            }
        }
        return -1;
    }

    /** A record type's components and canonical constructor, looked up once per type. */
    private static final class Shape {

        private final Method[] accessors;
        private final boolean[] text;
        private final Constructor<?> canonical;

        Shape(Class<?> type) {
            RecordComponent[] components = type.getRecordComponents();
            accessors = new Method[components.length];
            text = new boolean[components.length];
            Class<?>[] parameters = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                accessors[i] = components[i].getAccessor();
                text[i] = components[i].getType() == String.class;
                parameters[i] = components[i].getType();
            }
            try {
                canonical = type.getDeclaredConstructor(parameters);
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException("A record without its canonical constructor: " + type.getName(), e);
            }
        }

        Object cleaned(Object payload) {
            try {
                if (!needsCleaning(payload)) {
                    return payload;
                }
                Object[] values = new Object[accessors.length];
                for (int i = 0; i < accessors.length; i++) {
                    values[i] = accessors[i].invoke(payload);
                    if (text[i]) {
                        values[i] = StoredText.clean((String) values[i]);
                    }
                }
                return canonical.newInstance(values);
            } catch (IllegalAccessException | InstantiationException | InvocationTargetException e) {
                throw new IllegalStateException("Cannot clean the text of a " + payload.getClass().getName(), e);
            }
        }

        private boolean needsCleaning(Object payload) throws IllegalAccessException, InvocationTargetException {
            for (int i = 0; i < accessors.length; i++) {
                if (text[i]) {
                    String value = (String) accessors[i].invoke(payload);
                    if (value != null && firstUnstorable(value) >= 0) {
                        return true;
                    }
                }
            }
            return false;
        }
    }
}
