package org.o1pruner.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.o1pruner.schema.Topics;

class LoopOptionsTest {
    private static LoopOptions.Builder minimal() {
        return LoopOptions.builder().setService("reward").setBootstrapServers("h:9092").setGroupId("g")
                .setTransactionalId("t").setInputTopics(List.of(Topics.SAMPLES));
    }

    @Test
    void fromConfigUsesTheCommonKeys() {
        Config c = CommonConfig.registry("reward").load(Map.of("O1P_KAFKA_BOOTSTRAP", "k:9092", "O1P_INSTANCE_ID", "reward-1",
                "O1P_MAX_POLL_RECORDS", "64", "O1P_FLUSH_INTERVAL", "250ms", "O1P_SHUTDOWN_TIMEOUT", "20s"));
        LoopOptions o = LoopOptions.fromConfig(c, List.of(Topics.SAMPLES)).build();
        assertEquals("k:9092", o.bootstrapServers());
        assertEquals("o1p-reward", o.groupId());
        assertEquals("o1p-reward-reward-1", o.transactionalId());
        assertEquals(64, o.maxPollRecords());
        assertEquals(Duration.ofMillis(250), o.flushInterval());
        assertEquals(Duration.ofSeconds(20), o.shutdownTimeout());
        assertEquals(Topics.DEAD_LETTER, o.deadLetterTopic());
    }

    @Test
    void requiredPartsAndBoundsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> minimal().setService(null).build());
        assertThrows(IllegalArgumentException.class, () -> minimal().setInputTopics(List.of()).build());
        assertThrows(IllegalArgumentException.class, () -> minimal().optMaxPollRecords(0).build());
        assertThrows(IllegalArgumentException.class, () -> minimal().optFlushInterval(Duration.ZERO).build());
        assertThrows(IllegalArgumentException.class, () -> minimal().optRetryBackoff(Duration.ofMillis(-1)).build());
    }

    @Property(tries = 50)
    void overridesCannotTurnOffExactlyOnce(@ForAll @AlphaChars @StringLength(min = 1, max = 10) String junk) {
        LoopOptions o = minimal()
                .optConsumerOverrides(Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, true, ConsumerConfig.GROUP_ID_CONFIG, junk,
                        ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1024))
                .optProducerOverrides(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, junk,
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false, ProducerConfig.ACKS_CONFIG, "1",
                        ProducerConfig.LINGER_MS_CONFIG, 20))
                .build();
        Map<String, Object> c = KafkaClientProps.consumer(o);
        assertEquals("read_committed", c.get(ConsumerConfig.ISOLATION_LEVEL_CONFIG));
        assertEquals(false, c.get(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG));
        assertEquals("g", c.get(ConsumerConfig.GROUP_ID_CONFIG));
        assertEquals(1024, c.get(ConsumerConfig.FETCH_MIN_BYTES_CONFIG), "other overrides apply");
        Map<String, Object> p = KafkaClientProps.producer(o);
        assertEquals("t", p.get(ProducerConfig.TRANSACTIONAL_ID_CONFIG));
        assertEquals(true, p.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG));
        assertEquals("all", p.get(ProducerConfig.ACKS_CONFIG));
        assertEquals(20, p.get(ProducerConfig.LINGER_MS_CONFIG));
        assertEquals("read_committed", KafkaClientProps.restoreConsumer(o).get(ConsumerConfig.ISOLATION_LEVEL_CONFIG));
    }
}
