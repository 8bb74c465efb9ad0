package dev.mpdiag.jfr;

/**
 * Decodes jdk.types.StackTrace pool entries into reused arrays of method keys, line numbers and frame
 * type keys. Field roles are looked up once per chunk from the metadata, so JDK and async-profiler
 * layouts both work without a fixed field order.
 */
public final class StackTraceReader {
    private static final int ROLE_SKIP = 0;
    private static final int ROLE_METHOD = 1;
    private static final int ROLE_LINE = 2;
    private static final int ROLE_TYPE = 3;

    private final ConstantPools pools;
    private final ByteInput in;
    private final JfrType stackType;
    private final int framesField;
    private final int truncatedField;
    private final int[] frameRoles;
    private final JfrField[] frameFields;

    public long[] methods = new long[128];
    public int[] lines = new int[128];
    public long[] types = new long[128];
    public int length;
    public boolean truncated;

    public StackTraceReader(ConstantPools pools, Metadata metadata) {
        this.pools = pools;
        this.in = pools.input();
        this.stackType = metadata.type("jdk.types.StackTrace");
        JfrType frameType = metadata.type("jdk.types.StackFrame");
        if (stackType == null || frameType == null) {
            framesField = -1;
            truncatedField = -1;
            frameRoles = new int[0];
            frameFields = new JfrField[0];
            return;
        }
        framesField = stackType.fieldIndex("frames");
        truncatedField = stackType.fieldIndex("truncated");
        frameFields = frameType.fields;
        frameRoles = new int[frameFields.length];
        for (int i = 0; i < frameFields.length; i++) {
            frameRoles[i] = switch (frameFields[i].name) {
                case "method" -> ROLE_METHOD;
                case "lineNumber" -> ROLE_LINE;
                case "type" -> ROLE_TYPE;
                default -> ROLE_SKIP;
            };
        }
    }

    /** Reads the stack with this key into the public arrays; false (length 0) when it is not in the pool. */
    public boolean read(long key) throws JfrFormatException {
        length = 0;
        truncated = false;
        if (stackType == null || framesField < 0) {
            return false;
        }
        int pos = pools.position(stackType, key);
        if (pos < 0) {
            return false;
        }
        int saved = in.position();
        try {
            in.position(pos);
            JfrField[] fields = stackType.fields;
            for (int f = 0; f < fields.length; f++) {
                if (f == framesField) {
                    readFrames();
                } else if (f == truncatedField) {
                    truncated = in.readByte() != 0;
                } else {
                    ValueSkipper.skip(in, fields[f]);
                }
            }
            return true;
        } finally {
            in.position(saved);
        }
    }

    private void readFrames() throws JfrFormatException {
        int n = in.readVarint();
        if (n < 0 || n > in.limit() - in.position()) {
            throw new JfrFormatException("stack frame count " + n + " out of range");
        }
        if (n > methods.length) {
            methods = new long[n];
            lines = new int[n];
            types = new long[n];
        }
        int[] roles = frameRoles;
        for (int i = 0; i < n; i++) {
            long method = 0;
            int line = 0;
            long type = 0;
            for (int r = 0; r < roles.length; r++) {
                switch (roles[r]) {
                    case ROLE_METHOD -> method = in.readVarlong();
                    case ROLE_LINE -> line = in.readVarint();
                    case ROLE_TYPE -> type = in.readVarlong();
                    default -> ValueSkipper.skip(in, frameFields[r]);
                }
            }
            methods[i] = method;
            lines[i] = line;
            types[i] = type;
        }
        length = n;
    }
}
