package dev.parley.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/** A runtime limit an operator changed, by its name in the limits' JSON. */
@Entity
@Table(name = "changed_limit")
@NamedQuery(name = ChangedLimitEntity.ALL, query = "select l from ChangedLimitEntity l")
@NamedQuery(name = ChangedLimitEntity.RESET, query = "delete from ChangedLimitEntity l")
public class ChangedLimitEntity {

    static final String ALL = "ChangedLimit.all";
    static final String RESET = "ChangedLimit.reset";

    @Id
    @Column(length = 32)
    private String name;

    @Column(name = "limit_value", nullable = false)
    private int value;

    protected ChangedLimitEntity() {
    }

    ChangedLimitEntity(String name, int value) {
        this.name = name;
        this.value = value;
    }

    String name() {
        return name;
    }

    int value() {
        return value;
    }
}
