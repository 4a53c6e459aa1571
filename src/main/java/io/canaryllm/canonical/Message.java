package io.canaryllm.canonical;

import java.util.List;

public record Message(Role role, List<Part> parts) {
    public Message {
        parts = List.copyOf(parts);
    }
}
