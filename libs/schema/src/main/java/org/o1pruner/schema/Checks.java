package org.o1pruner.schema;

import java.util.Map;

import static org.o1pruner.schema.DeadLetterReason.INVALID;
import static org.o1pruner.schema.DeadLetterReason.MISSING_FIELD;
import static org.o1pruner.schema.DeadLetterReason.NEGATIVE_OR_OUT_OF_RANGE;
import static org.o1pruner.schema.DeadLetterReason.NOT_FINITE;

/** The validation checks shared by the records; each failure throws with its reason. */
final class Checks {
    private Checks() {}

    static void present(Object value, String record, String field) {
        if (value == null) {
            throw new RecordException(MISSING_FIELD, record + "." + field + " is null");
        }
    }

    static void nonEmpty(String value, String record, String field) {
        present(value, record, field);
        if (value.isEmpty()) {
            throw new RecordException(MISSING_FIELD, record + "." + field + " is empty");
        }
    }

    static void nonNegative(long value, String record, String field) {
        if (value < 0) {
            throw new RecordException(NEGATIVE_OR_OUT_OF_RANGE, record + "." + field + " is negative: " + value);
        }
    }

    static void atLeast(long value, long min, String record, String field) {
        if (value < min) {
            throw new RecordException(NEGATIVE_OR_OUT_OF_RANGE,
                    record + "." + field + " is " + value + ", must be >= " + min);
        }
    }

    static void finite(double value, String record, String field) {
        if (!Double.isFinite(value)) {
            throw new RecordException(NOT_FINITE, record + "." + field + " is not finite: " + value);
        }
    }

    static void finiteNonNegative(double value, String record, String field) {
        finite(value, record, field);
        if (value < 0) {
            throw new RecordException(NEGATIVE_OR_OUT_OF_RANGE, record + "." + field + " is negative: " + value);
        }
    }

    static void finiteUnit(double value, String record, String field) {
        finite(value, record, field);
        if (value < 0 || value > 1) {
            throw new RecordException(NEGATIVE_OR_OUT_OF_RANGE,
                    record + "." + field + " is " + value + ", must be in [0, 1]");
        }
    }

    static void variant(String value, String record) {
        nonEmpty(value, record, "variant");
        if (!PromptRecord.VARIANT_DEFAULT.equals(value) && !PromptRecord.VARIANT_FAST.equals(value)) {
            throw new RecordException(INVALID, record + ".variant is '" + value + "', must be '"
                    + PromptRecord.VARIANT_DEFAULT + "' or '" + PromptRecord.VARIANT_FAST + "'");
        }
    }

    /** Keys and values of a map must be present; values of a double map must be finite. */
    static void entriesPresent(Map<String, ?> map, String record, String field) {
        present(map, record, field);
        for (Map.Entry<String, ?> e : map.entrySet()) {
            if (e.getKey() == null) {
                throw new RecordException(MISSING_FIELD, record + "." + field + " has a null key");
            }
            if (e.getValue() == null) {
                throw new RecordException(MISSING_FIELD, record + "." + field + "[" + e.getKey() + "] is null");
            }
        }
    }
}
