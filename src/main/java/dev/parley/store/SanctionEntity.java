package dev.parley.store;

import dev.parley.security.Sanction;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Objects;

/** A server-wide mute or ban; a user has at most one of each kind. */
@Entity
@Table(name = "user_sanction")
@IdClass(SanctionEntity.Key.class)
@NamedQuery(name = SanctionEntity.ALL, query = "select s from SanctionEntity s")
public class SanctionEntity {

    static final String ALL = "Sanction.all";

    @Id
    @Column(length = 64)
    private String username;

    @Id
    @Enumerated(EnumType.STRING)
    @Column(length = 8)
    private Sanction.Kind kind;

    /** UTC; null: until lifted. */
    @Column(name = "until_at")
    private LocalDateTime untilAt;

    @Column(name = "imposed_by", nullable = false, length = 64)
    private String imposedBy;

    /** UTC. */
    @Column(name = "created_at", nullable = false)
    private LocalDateTime createdAt;

    protected SanctionEntity() {
    }

    SanctionEntity(Sanction sanction) {
        username = sanction.user();
        kind = sanction.kind();
        untilAt = sanction.until() == null ? null : LocalDateTime.ofInstant(sanction.until(), ZoneOffset.UTC);
        imposedBy = sanction.by();
        createdAt = LocalDateTime.ofInstant(sanction.at(), ZoneOffset.UTC);
    }

    Sanction toSanction() {
        return new Sanction(username, kind, untilAt == null ? null : untilAt.toInstant(ZoneOffset.UTC), imposedBy,
                createdAt.toInstant(ZoneOffset.UTC));
    }

    /** The primary key: user and kind. */
    public static class Key implements Serializable {

        private static final long serialVersionUID = 1L;

        private String username;
        private Sanction.Kind kind;

        public Key() {
        }

        Key(String username, Sanction.Kind kind) {
            this.username = username;
            this.kind = kind;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(username, key.username) && kind == key.kind;
        }

        @Override
        public int hashCode() {
            return Objects.hash(username, kind);
        }
    }
}
