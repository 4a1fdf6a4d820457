package org.o1pruner.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.o1pruner.schema.DeadLetterHeaders;
import org.o1pruner.schema.DeadLetterReason;

class DeadLettersTest {

    private static ConsumerRecord<byte[], byte[]> record(int partition, long offset, byte[] key, byte[] value, RecordHeaders headers) {
        return new ConsumerRecord<>("o1p.samples", partition, offset, 0L, TimestampType.CREATE_TIME, -1, -1, key, value,
                headers, Optional.empty());
    }

    private static String header(ProducerRecord<byte[], byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    @Property(tries = 200)
    void keepsOriginalBytesAndHeadersAndNamesTheSource(@ForAll @Size(max = 64) byte[] key, @ForAll @Size(max = 256) byte[] value,
                                                        @ForAll @IntRange(min = 0, max = 1000) int partition,
                                                        @ForAll @LongRange(min = 0) long offset,
                                                        @ForAll DeadLetterReason reason) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("trace", new byte[] {1, 2});
        ProducerRecord<byte[], byte[]> dl = DeadLetters.of(record(partition, offset, key, value, headers), "o1p.dead-letter",
                reason, "why", "reward");
        assertEquals("o1p.dead-letter", dl.topic());
        assertNull(dl.partition());
        assertArrayEquals(key, dl.key());
        assertArrayEquals(value, dl.value());
        assertArrayEquals(new byte[] {1, 2}, dl.headers().lastHeader("trace").value());
        assertEquals(reason.tag(), header(dl, DeadLetterHeaders.REASON));
        assertEquals("why", header(dl, DeadLetterHeaders.DETAIL));
        assertEquals("o1p.samples", header(dl, DeadLetterHeaders.SOURCE_TOPIC));
        assertEquals(Integer.toString(partition), header(dl, DeadLetterHeaders.SOURCE_PARTITION));
        assertEquals(Long.toString(offset), header(dl, DeadLetterHeaders.SOURCE_OFFSET));
        assertEquals("reward", header(dl, DeadLetterHeaders.SERVICE));
    }

    @Test
    void longDetailIsBoundedAndOldDeadLetterHeadersAreReplaced() {
        RecordHeaders headers = new RecordHeaders();
        headers.add(DeadLetterHeaders.REASON, "undecodable".getBytes(StandardCharsets.UTF_8));
        ProducerRecord<byte[], byte[]> dl = DeadLetters.of(record(0, 5, null, null, headers), "dlq",
                DeadLetterReason.INVALID, "x".repeat(5000), "eval");
        assertEquals(DeadLetters.MAX_DETAIL_CHARS, header(dl, DeadLetterHeaders.DETAIL).length());
        assertEquals(1, dl.headers().toArray().length - 5, "the old reason header is dropped");
        int reasons = 0;
        for (var h : dl.headers().headers(DeadLetterHeaders.REASON)) {
            reasons++;
        }
        assertEquals(1, reasons, "one reason header, not two");
        assertEquals("invalid", header(dl, DeadLetterHeaders.REASON));
        assertNull(dl.key());
        assertNull(dl.value());
    }
}
