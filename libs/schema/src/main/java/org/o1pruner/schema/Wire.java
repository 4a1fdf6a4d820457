package org.o1pruner.schema;

/** Constants of the encoded header shared by every record type. */
final class Wire {
    /** First marker byte. */
    static final byte MARKER_0 = (byte) 0xC3;
    /** Second marker byte: the framing itself, not a schema version. */
    static final byte MARKER_1 = (byte) 0x01;
    /** Marker (2) + record type (1) + schema version (2). */
    static final int HEADER_BYTES = 5;

    private Wire() {}
}
