package dev.mpdiag.export;

import dev.mpdiag.engine.FrameKind;
import dev.mpdiag.engine.FrameTable;
import dev.mpdiag.engine.ProfileType;
import dev.mpdiag.engine.StackTable;
import dev.mpdiag.engine.Summary;

/** A summary built through the engine's public API, small enough to know every line the exporters write. */
final class HandMadeSummary {
    static final long START_NANOS = 1_700_000_000_000_000_000L;
    static final long DURATION_NANOS = 2_000_000_000L;

    private HandMadeSummary() {
    }

    /**
     * ALLOC: run>handle>encode:7 (100 B, 2), run>handle>encode:9>byte[] (300 B, 3), run>"odd;name\nwith breaks" (50 B, 1).
     * CPU: run>handle>encode:7 (2), run>handle>Spin.loop (5), an unreadable empty stack (1).
     */
    static Summary build() {
        Summary s = new Summary();
        FrameTable f = s.frames;
        int run = f.intern("java.lang.Thread.run", 833, FrameKind.JIT);
        int handle = f.intern("com.acme.Server.handle", 42, FrameKind.JIT);
        int encode7 = f.intern("com.acme.Codec.encode", 7, FrameKind.INLINED);
        int encode9 = f.intern("com.acme.Codec.encode", 9, FrameKind.INLINED);
        int byteArray = f.intern("byte[]", 0, FrameKind.ALLOC_CLASS);
        int odd = f.intern("odd;name\nwith breaks", 0, FrameKind.NATIVE);
        int spin = f.intern("com.acme.Spin.loop", 0, FrameKind.INTERPRETED);
        StackTable t = s.stacks;
        int encodeStack = t.intern(new int[] {encode7, handle, run});
        int allocStack = t.intern(new int[] {byteArray, encode9, handle, run});
        int oddStack = t.intern(new int[] {odd, run});
        int spinStack = t.intern(new int[] {spin, handle, run});
        int empty = t.intern(new int[0]);
        s.profile(ProfileType.ALLOC).add(encodeStack, 100, 2);
        s.profile(ProfileType.ALLOC).add(allocStack, 300, 3);
        s.profile(ProfileType.ALLOC).add(oddStack, 50, 1);
        s.profile(ProfileType.CPU).add(spinStack, 5, 5);
        s.profile(ProfileType.CPU).add(encodeStack, 2, 2);
        s.profile(ProfileType.CPU).add(empty, 1, 1);
        s.coverTime(START_NANOS, START_NANOS + DURATION_NANOS);
        return s;
    }
}
