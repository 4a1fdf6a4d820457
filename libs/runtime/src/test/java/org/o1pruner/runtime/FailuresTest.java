package org.o1pruner.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionAbortableException;
import org.junit.jupiter.api.Test;

class FailuresTest {
    @Test
    void fencingAuthorisationAndFatalProcessingStopTheLoop() {
        assertEquals(Failures.Kind.FATAL, Failures.classify(new ProducerFencedException("x")));
        assertEquals(Failures.Kind.FATAL, Failures.classify(new FencedInstanceIdException("x")));
        assertEquals(Failures.Kind.FATAL, Failures.classify(new TopicAuthorizationException("x")));
        assertEquals(Failures.Kind.FATAL, Failures.classify(new FatalProcessingException("x")));
        assertEquals(Failures.Kind.FATAL, Failures.classify(new OutOfMemoryError()));
    }

    @Test
    void aFatalCauseInsideAGenericWrapperIsStillFatal() {
        assertEquals(Failures.Kind.FATAL, Failures.classify(new KafkaException("commit failed", new ProducerFencedException("x"))));
    }

    @Test
    void timeoutsAbortsStaleGenerationsAndProcessorHiccupsAreRetriable() {
        assertEquals(Failures.Kind.RETRIABLE, Failures.classify(new TimeoutException("x")));
        assertEquals(Failures.Kind.RETRIABLE, Failures.classify(new TransactionAbortableException("x")));
        assertEquals(Failures.Kind.RETRIABLE, Failures.classify(new CommitFailedException()));
        assertEquals(Failures.Kind.RETRIABLE, Failures.classify(new RetriableProcessingException("x")));
        assertEquals(Failures.Kind.RETRIABLE, Failures.classify(new KafkaException("unknown state")));
    }

    @Test
    void selfReferentialCauseChainsTerminate() {
        KafkaException a = new KafkaException("a");
        KafkaException b = new KafkaException("b", a);
        a.initCause(b);
        assertEquals(Failures.Kind.RETRIABLE, Failures.classify(b));
    }
}
