package io.canaryllm.canonical;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CanonicalModelTest {

    @Test
    void shouldCountCacheTokensInsideInput() {
        Usage u = new Usage(100, 7, 80, 10, 2);
        assertEquals(107, u.total());
        assertEquals(9, u.withOutput(9).output());
    }

    @Test
    void shouldCopyListsSoStateCannotLeakBetweenStages() {
        List<Part> parts = new ArrayList<>(List.of(new Part.Text("a")));
        Message m = new Message(Role.USER, parts);
        parts.add(new Part.Text("b"));
        assertEquals(1, m.parts().size());
        assertThrows(UnsupportedOperationException.class, () -> m.parts().add(new Part.Text("c")));
    }
}
