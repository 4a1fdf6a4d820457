package org.o1pruner.reward;

import java.util.Objects;
import org.o1pruner.grading.Grade;
import org.o1pruner.schema.SampleRecord;

/**
 * A sample with its grade, as it waits in a group: grading happens when the sample
 * arrives, so completing a group only has to compute the means.
 *
 * @param sample the sample as it arrived
 * @param grade  its correctness against the sample's ground truth
 */
public record GradedSample(SampleRecord sample, Grade grade) {
    /** Both parts are required. */
    public GradedSample {
        Objects.requireNonNull(sample, "sample");
        Objects.requireNonNull(grade, "grade");
    }
}
