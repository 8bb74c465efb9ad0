package dev.mpdiag.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** JVM internal class names become Java names, and per-process parts of hidden-class names are dropped. */
class FrameNamesTest {
    @Test
    void arraysAndSlashes() {
        assertEquals("byte[]", FrameNames.readable("[B"));
        assertEquals("java.lang.String[][]", FrameNames.readable("[[Ljava/lang/String;"));
        assertEquals("java.util.HashMap$Node", FrameNames.readable("java/util/HashMap$Node"));
    }

    @Test
    void hiddenClassAddressesAreDropped() {
        assertEquals("com.example.Foo$$Lambda", FrameNames.readable("com/example/Foo$$Lambda$14/0x0000000800c03000"));
        assertEquals("com.example.Foo$$Lambda", FrameNames.readable("com/example/Foo$$Lambda/0x00007f0c1c00a4b8"));
        assertEquals("java.lang.invoke.LambdaForm$MH",
                FrameNames.readable("java/lang/invoke/LambdaForm$MH+0x00007f26ad00c000.2035070981"));
    }
}
