package org.o1pruner.model.sampling;

/** The generator's contract on the java decoding backend. */
class GeneratorJavaTest extends GeneratorContract {
    @Override
    DecodeBackend backend() {
        return DecodeBackend.JAVA;
    }
}
