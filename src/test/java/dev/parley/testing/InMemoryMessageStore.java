package dev.parley.testing;

import dev.parley.delivery.GroupCommit;
import dev.parley.delivery.Mentions;
import dev.parley.delivery.MessageStore;
import dev.parley.delivery.StoredMessage;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import dev.parley.security.UserNames;
import dev.parley.store.Ids;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/** Messages in memory, with the JPA store's rules: per-room seq, idempotent client message ids. */
public final class InMemoryMessageStore implements MessageStore {

    private final InMemoryRoomStore rooms;
    private final Clock clock;
    private final Map<String, List<StoredMessage>> byRoom = new HashMap<>();
    private final Map<String, StoredMessage> byClientId = new HashMap<>();
    /** The seqs pinned in each room. */
    private final Map<String, TreeSet<Long>> pins = new HashMap<>();
    private final Set<Reaction> reactions = new LinkedHashSet<>(); // in the order made
    private final List<NewMessage> asked = new ArrayList<>();
    private final AtomicInteger reads = new AtomicInteger();
    /** Thrown by the next batch's append, as a database that went away throws: the whole batch fails. */
    public volatile RuntimeException failNextBatch;

    public InMemoryMessageStore(InMemoryRoomStore rooms, Clock clock) {
        this.rooms = rooms;
        this.clock = clock;
    }

    @Override
    public List<GroupCommit.Outcome> appendAll(List<NewMessage> messages) {
        RuntimeException failure = failNextBatch;
        if (failure != null) {
            failNextBatch = null;
            throw failure;
        }
        return MessageStore.super.appendAll(messages);
    }

    @Override
    public Appended append(NewMessage message) {
        synchronized (rooms) {
            asked.add(message);
            InMemoryRoomStore.Room room = existing(message.room());
            // As in SQL, no client message id (server notices) matches no earlier message.
            StoredMessage earlier = message.clientMsgId() == null ? null
                    : byClientId.get(message.from() + "\u0000" + message.clientMsgId());
            if (earlier != null) {
                if (!earlier.room().equals(message.room())) {
                    throw new ChatException(ErrorCode.CONFLICT, "clientMsgId was used for another room");
                }
                return new Appended(earlier, true);
            }
            if (room.archived) {
                throw new ChatException(ErrorCode.FORBIDDEN, message.room() + " is archived");
            }
            if (message.replyTo() != null && message.replyTo() > room.seq) {
                throw new ChatException(ErrorCode.BAD_REQUEST, "replyTo is not a seq of " + message.room());
            }
            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            StoredMessage stored = new StoredMessage(room.name, ++room.seq, Ids.next(now.toEpochMilli()),
                    message.from(), message.text(), now, message.kind(), message.replyTo(), message.clientMsgId(),
                    null, false, false, message.tip());
            byRoom.computeIfAbsent(room.name, r -> new ArrayList<>()).add(stored);
            if (message.clientMsgId() != null) {
                byClientId.put(message.from() + "\u0000" + message.clientMsgId(), stored);
            }
            return new Appended(stored, false);
        }
    }

    @Override
    public StoredMessage archive(String room, String line, String owner) {
        synchronized (rooms) {
            InMemoryRoomStore.Room r = existing(room);
            if (owner != null && !owner.equals(r.owner)) {
                throw new ChatException(ErrorCode.FORBIDDEN, "only the owner of " + room + " can");
            }
            if (r.archived) {
                throw new ChatException(ErrorCode.CONFLICT, room + " is archived already");
            }
            StoredMessage last = append(new NewMessage(room, UserNames.SYSTEM, line, StoredMessage.SYSTEM, null, null))
                    .message();
            r.archived = true;
            return last;
        }
    }

    @Override
    public StoredMessage setTopic(String room, String topic, String by) {
        synchronized (rooms) {
            InMemoryRoomStore.Room r = existing(room);
            if (r.archived && !topic.isEmpty()) {
                throw new ChatException(ErrorCode.FORBIDDEN, room + " is archived");
            }
            r.topic = topic.isEmpty() ? null : topic;
            return event(r, byRoom.computeIfAbsent(room, k -> new ArrayList<>()), by, topic, StoredMessage.TOPIC,
                    null);
        }
    }

    @Override
    public StoredMessage reopen(String room, String line) {
        synchronized (rooms) {
            InMemoryRoomStore.Room r = existing(room);
            if (!r.archived) {
                throw new ChatException(ErrorCode.CONFLICT, room + " is not archived");
            }
            r.archived = false;
            return append(new NewMessage(room, UserNames.SYSTEM, line, StoredMessage.SYSTEM, null, null)).message();
        }
    }

    private InMemoryRoomStore.Room existing(String room) {
        InMemoryRoomStore.Room r = rooms.rooms.get(room);
        if (r == null) {
            throw new ChatException(ErrorCode.NOT_FOUND, "no room " + room);
        }
        return r;
    }

    @Override
    public Optional<StoredMessage> find(String room, long seq) {
        synchronized (rooms) {
            return byRoom.getOrDefault(room, List.of()).stream().filter(m -> m.seq() == seq).findFirst();
        }
    }

    @Override
    public Found search(String room, String text, Long before, int limit) {
        synchronized (rooms) {
            InMemoryRoomStore.Room r = rooms.rooms.get(room);
            if (r == null) {
                return new Found(List.of(), null);
            }
            SearchWindow window = SearchWindow.below(before, r.seq);
            String lower = text.toLowerCase(Locale.ROOT);
            List<StoredMessage> matches = byRoom.getOrDefault(room, List.of()).stream()
                    .filter(m -> m.seq() >= window.from() && m.seq() < window.end()
                            && StoredMessage.TEXT.equals(m.kind())
                            && !m.deleted() && m.text().toLowerCase(Locale.ROOT).contains(lower))
                    .sorted(Comparator.comparingLong(StoredMessage::seq).reversed()).limit(limit).toList();
            return Found.of(matches, window, limit);
        }
    }

    @Override
    public Optional<StoredMessage> sentAs(String from, String clientMsgId) {
        synchronized (rooms) {
            return byRoom.values().stream().flatMap(List::stream)
                    .filter(m -> m.from().equals(from) && clientMsgId.equals(m.clientMsgId())).findFirst();
        }
    }

    @Override
    public StoredMessage edit(String room, long seq, String text, String by) {
        synchronized (rooms) {
            InMemoryRoomStore.Room r = rooms.rooms.get(room);
            if (r != null && r.archived) {
                throw new ChatException(ErrorCode.FORBIDDEN, room + " is archived");
            }
            List<StoredMessage> stored = byRoom.getOrDefault(room, new ArrayList<>());
            int index = standing(r, stored, seq, "to edit");
            StoredMessage m = stored.get(index);
            if (!StoredMessage.TEXT.equals(m.kind())) {
                throw new ChatException(ErrorCode.NOT_FOUND, "no message " + seq + " in " + room + " to edit");
            }
            stored.set(index, new StoredMessage(m.room(), m.seq(), m.id(), m.from(), text, m.ts(), m.kind(),
                    m.replyTo(), m.clientMsgId(), null, false, true, m.tip()));
            return event(r, stored, by, text, StoredMessage.EDITED, seq);
        }
    }

    @Override
    public StoredMessage delete(String room, long seq, String by) {
        synchronized (rooms) {
            InMemoryRoomStore.Room r = rooms.rooms.get(room);
            List<StoredMessage> stored = byRoom.getOrDefault(room, new ArrayList<>());
            int index = standing(r, stored, seq, "to delete");
            StoredMessage m = stored.get(index);
            stored.set(index, new StoredMessage(m.room(), m.seq(), m.id(), m.from(), "", m.ts(), m.kind(),
                    m.replyTo(), m.clientMsgId(), null, true, m.edited(), m.tip()));
            stored.replaceAll(e -> StoredMessage.EDITED.equals(e.kind()) && Long.valueOf(seq).equals(e.target())
                    ? new StoredMessage(e.room(), e.seq(), e.id(), e.from(), "", e.ts(), e.kind(), null, null, seq,
                    false, false, null) : e);
            pins.getOrDefault(room, new TreeSet<>()).remove(seq);
            reactions.removeIf(reaction -> reaction.room.equals(room) && reaction.seq == seq);
            return event(r, stored, by, "", StoredMessage.DELETED, seq);
        }
    }

    @Override
    public Optional<StoredMessage> pin(String room, long seq, String by) {
        synchronized (rooms) {
            InMemoryRoomStore.Room r = unarchived(room);
            List<StoredMessage> stored = byRoom.getOrDefault(room, new ArrayList<>());
            if (!StoredMessage.TEXT.equals(stored.get(standing(r, stored, seq, "to pin")).kind())) {
                throw new ChatException(ErrorCode.NOT_FOUND, "no message " + seq + " in " + room + " to pin");
            }
            TreeSet<Long> pinned = pins.computeIfAbsent(room, k -> new TreeSet<>());
            if (pinned.contains(seq)) {
                return Optional.empty();
            }
            if (pinned.size() >= MAX_PINS) {
                throw new ChatException(ErrorCode.CONFLICT, room + " has " + MAX_PINS
                        + " pinned messages, as many as a room may: unpin one first");
            }
            pinned.add(seq);
            return Optional.of(event(r, stored, by, "", StoredMessage.PINNED, seq));
        }
    }

    @Override
    public Optional<StoredMessage> unpin(String room, long seq, String by) {
        synchronized (rooms) {
            InMemoryRoomStore.Room r = existing(room);
            if (!pins.getOrDefault(room, new TreeSet<>()).remove(seq)) {
                return Optional.empty();
            }
            return Optional.of(event(r, byRoom.get(room), by, "", StoredMessage.UNPINNED, seq));
        }
    }

    @Override
    public List<StoredMessage> pinned(String room, Long before) {
        synchronized (rooms) {
            return pins.getOrDefault(room, new TreeSet<>()).descendingSet().stream()
                    .filter(seq -> before == null || seq < before)
                    .map(seq -> byRoom.get(room).get(indexOf(byRoom.get(room), seq))).toList();
        }
    }

    @Override
    public Optional<StoredMessage> react(String room, long seq, String emoji, String by) {
        synchronized (rooms) {
            InMemoryRoomStore.Room r = unarchived(room);
            List<StoredMessage> stored = byRoom.getOrDefault(room, new ArrayList<>());
            String kind = stored.get(standing(r, stored, seq, "to react to")).kind();
            if (!StoredMessage.TEXT.equals(kind) && !StoredMessage.TIP.equals(kind)) {
                throw new ChatException(ErrorCode.NOT_FOUND, "no message " + seq + " in " + room + " to react to");
            }
            Reaction reaction = new Reaction(room, seq, by, emoji);
            if (reactions.contains(reaction)) {
                return Optional.empty();
            }
            Set<String> kinds = reactions.stream().filter(x -> x.room.equals(room) && x.seq == seq)
                    .map(Reaction::emoji).collect(Collectors.toSet());
            if (kinds.size() >= MAX_REACTIONS && !kinds.contains(emoji)) {
                throw new ChatException(ErrorCode.CONFLICT, "message " + seq + " has " + MAX_REACTIONS
                        + " different reactions, as many as a message may: add one of those");
            }
            reactions.add(reaction);
            return Optional.of(event(r, stored, by, emoji, StoredMessage.REACTED, seq));
        }
    }

    @Override
    public Optional<StoredMessage> unreact(String room, long seq, String emoji, String by) {
        synchronized (rooms) {
            InMemoryRoomStore.Room r = unarchived(room);
            if (!reactions.remove(new Reaction(room, seq, by, emoji))) {
                return Optional.empty();
            }
            return Optional.of(event(r, byRoom.get(room), by, emoji, StoredMessage.UNREACTED, seq));
        }
    }

    private record Reaction(String room, long seq, String user, String emoji) {
    }

    private InMemoryRoomStore.Room unarchived(String room) {
        InMemoryRoomStore.Room r = existing(room);
        if (r.archived) {
            throw new ChatException(ErrorCode.FORBIDDEN, room + " is archived");
        }
        return r;
    }

    /** The index of message {@code seq} if it stands (not deleted, not an event), as the JPA store checks. */
    private static int standing(InMemoryRoomStore.Room room, List<StoredMessage> stored, long seq, String purpose) {
        int index = indexOf(stored, seq);
        if (room == null || index < 0 || stored.get(index).deleted() || stored.get(index).target() != null) {
            throw new ChatException(ErrorCode.NOT_FOUND, "no message " + seq + " in " + (room == null ? "?"
                    : room.name) + " " + purpose);
        }
        return index;
    }

    private StoredMessage event(InMemoryRoomStore.Room room, List<StoredMessage> stored, String by, String text,
                                String kind, Long target) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        StoredMessage event = new StoredMessage(room.name, ++room.seq, Ids.next(now.toEpochMilli()), by, text, now,
                kind, null, null, target, false, false, null);
        stored.add(event);
        byRoom.putIfAbsent(room.name, stored);
        return event;
    }

    private static int indexOf(List<StoredMessage> stored, long seq) {
        for (int i = 0; i < stored.size(); i++) {
            if (stored.get(i).seq() == seq) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public int purge(Instant before, int limit) {
        synchronized (rooms) {
            List<StoredMessage> old = byRoom.values().stream().flatMap(List::stream)
                    .filter(m -> m.ts().isBefore(before)).sorted(Comparator.comparing(StoredMessage::ts))
                    .limit(limit).toList();
            byRoom.values().forEach(messages -> messages.removeAll(old));
            old.forEach(m -> pins.getOrDefault(m.room(), new TreeSet<>()).remove(m.seq()));
            reactions.removeIf(reaction -> old.stream().anyMatch(m -> m.room().equals(reaction.room)
                    && m.seq() == reaction.seq));
            return old.size();
        }
    }

    @Override
    public List<MessageStore.Reaction> reactionsOn(String room, Collection<Long> seqs) {
        synchronized (rooms) {
            return reactions.stream().filter(r -> r.room.equals(room) && seqs.contains(r.seq))
                    .map(r -> new MessageStore.Reaction(r.seq, r.user, r.emoji)).toList();
        }
    }

    @Override
    public Backlog backlog(String room, String reader, long after, long upTo) {
        synchronized (rooms) {
            List<StoredMessage> window = byRoom.getOrDefault(room, List.of()).stream()
                    .filter(m -> m.seq() > after && m.seq() <= upTo && !m.deleted()).toList();
            Map<List<String>, Long> counts = new LinkedHashMap<>();
            window.forEach(m -> counts.merge(List.of(m.from(), m.kind()), 1L, Long::sum));
            List<String> mentionedBy = window.stream()
                    .filter(m -> StoredMessage.TEXT.equals(m.kind()) && !m.from().equals(reader))
                    .filter(m -> m.text().contains("@" + reader)) // as the JPA store's LIKE
                    .limit(MENTIONS_CHECKED)
                    .filter(m -> Mentions.mentions(m.text(), reader)).map(StoredMessage::from).toList();
            return new Backlog(counts.entrySet().stream()
                    .map(e -> new Tally(e.getKey().get(0), e.getKey().get(1), e.getValue())).toList(), mentionedBy);
        }
    }

    @Override
    public Map<String, Long> tipTotals(String room) {
        synchronized (rooms) {
            Map<String, Long> totals = new HashMap<>();
            byRoom.getOrDefault(room, List.of()).stream().filter(m -> m.tip() != null && !m.deleted())
                    .forEach(m -> totals.merge(m.tip().to(), (long) m.tip().amount(), Long::sum));
            return totals;
        }
    }

    @Override
    public Map<String, Long> countsByRoom() {
        synchronized (rooms) {
            Map<String, Long> counts = new HashMap<>();
            byRoom.forEach((room, messages) -> counts.put(room, (long) messages.size()));
            return counts;
        }
    }

    @Override
    public long countIn(String room) {
        synchronized (rooms) {
            return byRoom.getOrDefault(room, List.of()).size();
        }
    }

    @Override
    public Map<String, Long> lastSeqs(Collection<String> names) {
        synchronized (rooms) {
            Map<String, Long> seqs = new HashMap<>();
            names.forEach(name -> Optional.ofNullable(rooms.rooms.get(name)).ifPresent(r -> seqs.put(name, r.seq)));
            return seqs;
        }
    }

    /** How often the room's messages were read ({@code after}, {@code before}): what a fill or a page costs. */
    public int reads() {
        return reads.get();
    }

    /** Every message this store was asked to append, in order, repeats too. */
    public List<NewMessage> asked() {
        synchronized (rooms) {
            return List.copyOf(asked);
        }
    }

    @Override
    public List<StoredMessage> after(String room, long after, int limit) {
        reads.incrementAndGet();
        synchronized (rooms) {
            return byRoom.getOrDefault(room, List.of()).stream().filter(m -> m.seq() > after).limit(limit).toList();
        }
    }

    @Override
    public List<StoredMessage> before(String room, Long before, int limit) {
        reads.incrementAndGet();
        synchronized (rooms) {
            List<StoredMessage> older = byRoom.getOrDefault(room, List.of()).stream()
                    .filter(m -> before == null || m.seq() < before).toList();
            return older.subList(Math.max(0, older.size() - limit), older.size());
        }
    }
}
