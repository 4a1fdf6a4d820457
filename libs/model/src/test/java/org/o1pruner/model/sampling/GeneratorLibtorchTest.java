package org.o1pruner.model.sampling;

/** The generator's contract on the libtorch decoding backend. */
class GeneratorLibtorchTest extends GeneratorContract {
    @Override
    DecodeBackend backend() {
        return DecodeBackend.LIBTORCH;
    }
}
