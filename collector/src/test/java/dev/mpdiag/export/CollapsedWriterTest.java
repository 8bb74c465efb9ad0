package dev.mpdiag.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.mpdiag.engine.FrameKind;
import dev.mpdiag.engine.ProfileType;
import dev.mpdiag.engine.Summary;
import java.io.IOException;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class CollapsedWriterTest {
    private static String collapsed(Summary s, ProfileType type) throws IOException {
        StringWriter out = new StringWriter();
        CollapsedWriter.write(s, type, out);
        return out.toString();
    }

    @Test
    void allocStacksAreRootFirstWithSanitizedNames() throws IOException {
        assertEquals("""
                java.lang.Thread.run;com.acme.Server.handle;com.acme.Codec.encode 100
                java.lang.Thread.run;com.acme.Server.handle;com.acme.Codec.encode;byte[] 300
                java.lang.Thread.run;odd_name_with breaks 50
                """, collapsed(HandMadeSummary.build(), ProfileType.ALLOC));
    }

    @Test
    void onlyTheRequestedTypeIsWrittenAndAnEmptyStackStaysParseable() throws IOException {
        assertEquals("""
                java.lang.Thread.run;com.acme.Server.handle;com.acme.Codec.encode 2
                java.lang.Thread.run;com.acme.Server.handle;com.acme.Spin.loop 5
                [unknown] 1
                """, collapsed(HandMadeSummary.build(), ProfileType.CPU));
    }

    @Test
    void stacksDifferingOnlyInLinesOrFrameTypesBecomeOneLine() throws IOException {
        Summary s = new Summary();
        int run = s.frames.intern("app.Main.run", 0, FrameKind.INTERPRETED);
        int work12 = s.frames.intern("app.Work.step", 12, FrameKind.JIT);
        int work30 = s.frames.intern("app.Work.step", 30, FrameKind.INLINED);
        s.profile(ProfileType.CPU).add(s.stacks.intern(new int[] {work12, run}), 3, 3);
        s.profile(ProfileType.CPU).add(s.stacks.intern(new int[] {work30, run}), 4, 4);
        StringWriter out = new StringWriter();
        CollapsedWriter.write(s, ProfileType.CPU, out);
        assertEquals("app.Main.run;app.Work.step 7\n", out.toString());
    }

    @Test
    void missingProfileWritesNothing() throws IOException {
        assertEquals("", collapsed(HandMadeSummary.build(), ProfileType.LOCK));
    }

    @Test
    void frameLabelIsTheNameWithoutLineAndKeepsCleanNamesAsIs() {
        Summary s = HandMadeSummary.build();
        // Interning an existing frame again returns its id.
        int encode9 = s.frames.intern("com.acme.Codec.encode", 9, FrameKind.INLINED);
        int odd = s.frames.intern("odd;name\nwith breaks", 0, FrameKind.NATIVE);
        assertEquals("com.acme.Codec.encode", CollapsedWriter.frameLabel(s.frames, encode9));
        assertSame(s.frames.name(encode9), CollapsedWriter.frameLabel(s.frames, encode9));
        assertEquals("odd_name_with breaks", CollapsedWriter.frameLabel(s.frames, odd));
    }
}
