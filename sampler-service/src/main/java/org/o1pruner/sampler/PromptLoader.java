package org.o1pruner.sampler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.o1pruner.schema.PromptRecord;
import org.o1pruner.schema.RecordException;

/**
 * Turns a JSON Lines data set ({@code id}, {@code problem}, {@code answer}, {@code dataset}, one
 * problem a line, as under {@code data/} or the toy world's splits) into {@link PromptRecord}s
 * for the prompts topic, with the group size K, the pruning round and the policy version to
 * sample from.
 *
 * <p>Real data sets are messy (null or empty answers, junk rows): every line that cannot become
 * a valid prompt is reported with its line number and reason and skipped, never thrown. Pure
 * apart from reading the given reader.
 */
public final class PromptLoader {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Why a line was skipped. */
    public enum SkipReason {
        /** The line is not a JSON object. */
        MALFORMED_JSON,
        /** No id, or a blank one. */
        MISSING_ID,
        /** No problem text, or a blank one. */
        MISSING_PROBLEM,
        /** Null, missing or blank ground-truth answer: nothing to grade against. */
        MISSING_ANSWER,
        /** An id seen on an earlier line. */
        DUPLICATE_ID,
        /** The record failed schema validation. */
        INVALID_RECORD
    }

    /** One skipped line. */
    public record Skipped(long lineNumber, SkipReason reason, String detail) {
    }

    /** The prompts made and the lines skipped. */
    public record Result(List<PromptRecord> prompts, List<Skipped> skipped) {
        public Result {
            prompts = List.copyOf(prompts);
            skipped = List.copyOf(skipped);
        }

        /** How many lines were skipped. */
        public int skippedCount() {
            return skipped.size();
        }
    }

    /**
     * What every prompt of one load carries.
     *
     * @param source        data set name used when a line has no {@code dataset} field (e.g. the file stem)
     * @param split         data split; null to derive it from the source name ({@link #splitOf})
     * @param k             samples per problem, at least 1
     * @param round         pruning round, non-negative
     * @param policyVersion policy version to sample from, non-negative
     * @param variant       {@link PromptRecord#VARIANT_DEFAULT} or {@link PromptRecord#VARIANT_FAST}
     * @param limit         most prompts to make (lines after that are not read); 0 or less for all
     * @param createdAtMs   creation time stamped on every prompt
     */
    public record Options(String source, String split, int k, int round, long policyVersion, String variant,
                          long limit, long createdAtMs) {
        public Options {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(variant, "variant");
            if (k < 1) {
                throw new IllegalArgumentException("k must be at least 1, got " + k);
            }
            if (round < 0) {
                throw new IllegalArgumentException("round must not be negative, got " + round);
            }
            if (policyVersion < 0) {
                throw new IllegalArgumentException("policy version must not be negative, got " + policyVersion);
            }
            if (!variant.equals(PromptRecord.VARIANT_DEFAULT) && !variant.equals(PromptRecord.VARIANT_FAST)) {
                throw new IllegalArgumentException("variant must be " + PromptRecord.VARIANT_DEFAULT + " or "
                        + PromptRecord.VARIANT_FAST + ", got " + variant);
            }
        }
    }

    private PromptLoader() {
    }

    /**
     * The split a data set name implies: {@code train} when it names a training set, otherwise
     * {@code test} (the paper's gsm8k, gaokao and math_test are test sets).
     */
    public static String splitOf(String source) {
        String s = source.toLowerCase(Locale.ROOT);
        return s.contains("train") ? "train" : "test";
    }

    /** Reads every line of {@code in} (closed by the caller). */
    public static Result load(BufferedReader in, Options options) {
        List<String> lines = new ArrayList<>();
        try {
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the data set " + options.source(), e);
        }
        return parse(lines, options);
    }

    /** Turns lines (1-based line numbers in reports) into prompts. Blank lines are ignored. */
    public static Result parse(List<String> lines, Options options) {
        List<PromptRecord> prompts = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            if (options.limit() > 0 && prompts.size() >= options.limit()) {
                break;
            }
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            long lineNo = i + 1L;
            JsonNode o;
            try {
                o = JSON.readTree(line);
            } catch (JsonProcessingException e) {
                skipped.add(new Skipped(lineNo, SkipReason.MALFORMED_JSON, e.getOriginalMessage()));
                continue;
            }
            if (o == null || !o.isObject()) {
                skipped.add(new Skipped(lineNo, SkipReason.MALFORMED_JSON, "not a JSON object"));
                continue;
            }
            String id = text(o, "id");
            if (id == null || id.isBlank()) {
                skipped.add(new Skipped(lineNo, SkipReason.MISSING_ID, "no id"));
                continue;
            }
            String problem = text(o, "problem");
            if (problem == null || problem.isBlank()) {
                skipped.add(new Skipped(lineNo, SkipReason.MISSING_PROBLEM, id + ": no problem text"));
                continue;
            }
            String answer = text(o, "answer");
            if (answer == null || answer.isBlank()) {
                skipped.add(new Skipped(lineNo, SkipReason.MISSING_ANSWER, id + ": answer is "
                        + (answer == null ? "null or missing" : "empty")));
                continue;
            }
            if (!seen.add(id)) {
                skipped.add(new Skipped(lineNo, SkipReason.DUPLICATE_ID, id + " appeared on an earlier line"));
                continue;
            }
            String dataset = text(o, "dataset");
            if (dataset == null || dataset.isBlank()) {
                dataset = options.source();
            }
            String split = options.split() != null ? options.split() : splitOf(options.source());
            PromptRecord r = new PromptRecord(id, dataset, split, problem, answer, options.k(), options.round(),
                    options.policyVersion(), options.variant(), options.createdAtMs());
            try {
                prompts.add(r.validate());
            } catch (RecordException e) {
                seen.remove(id);
                skipped.add(new Skipped(lineNo, SkipReason.INVALID_RECORD, id + ": " + e.getMessage()));
            }
        }
        return new Result(prompts, skipped);
    }

    /** A field as text: strings as they are, numbers written out, null/missing/containers as null. */
    private static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull() || v.isContainerNode()) {
            return null;
        }
        return v.asText();
    }
}
