package org.o1pruner.runtime;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.o1pruner.schema.DeadLetterHeaders;
import org.o1pruner.schema.DeadLetterReason;

/**
 * Builds the dead-letter copy of a rejected record: the original key and value bytes, the
 * original headers, and the {@link DeadLetterHeaders} naming reason, detail, source
 * topic/partition/offset and service. Pure.
 */
public final class DeadLetters {
    /** Longest detail header kept, in characters. */
    public static final int MAX_DETAIL_CHARS = 300;

    private DeadLetters() {}

    public static ProducerRecord<byte[], byte[]> of(ConsumerRecord<byte[], byte[]> original, String deadLetterTopic,
                                                    DeadLetterReason reason, String detail, String service) {
        RecordHeaders headers = new RecordHeaders();
        for (Header h : original.headers()) {
            if (!h.key().startsWith("o1p.dlq.")) {
                headers.add(h.key(), h.value());
            }
        }
        headers.add(DeadLetterHeaders.REASON, utf8(reason.tag()));
        headers.add(DeadLetterHeaders.DETAIL, utf8(bound(detail)));
        headers.add(DeadLetterHeaders.SOURCE_TOPIC, utf8(original.topic()));
        headers.add(DeadLetterHeaders.SOURCE_PARTITION, utf8(Integer.toString(original.partition())));
        headers.add(DeadLetterHeaders.SOURCE_OFFSET, utf8(Long.toString(original.offset())));
        headers.add(DeadLetterHeaders.SERVICE, utf8(service));
        return new ProducerRecord<>(deadLetterTopic, null, original.key(), original.value(), headers);
    }

    static String bound(String detail) {
        String d = detail == null ? "" : detail;
        return d.length() <= MAX_DETAIL_CHARS ? d : d.substring(0, MAX_DETAIL_CHARS - 1) + "\u2026";
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
