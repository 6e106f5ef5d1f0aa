package dev.parley.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class InFlightTest {

    private final InFlight inFlight = new InFlight();

    @Test
    void aRefusedSendIsExpectedByNobodyAndAReceiptedOneByEveryMember() {
        inFlight.sent("ann-1", 100, 5);
        inFlight.sent("ann-2", 200, 5);
        inFlight.sent("ann-3", 300, 5);
        assertEquals(15, inFlight.expected());
        assertEquals(3, inFlight.unanswered());

        assertEquals(100L, inFlight.receipt("ann-1"));
        inFlight.refused("ann-2", 5);
        assertEquals(3, inFlight.sent());
        assertEquals(1, inFlight.refused());
        assertEquals(10, inFlight.expected(), "ann-1 and ann-3 to all five members; ann-2 to nobody");
        assertEquals(1, inFlight.unanswered(), "ann-3 is still awaited");
    }

    @Test
    void aSendIsSettledOnceAndErrorsThatAnsweredNoSendCountForNothing() {
        inFlight.sent("ann-1", 100, 5);
        assertEquals(100L, inFlight.receipt("ann-1"));
        inFlight.refused("ann-1", 5); // a late error for a stored message
        inFlight.refused(null, 5); // an error without a ref: a rate limit on an ack, say
        inFlight.refused("bob-9", 5); // not this run's
        assertNull(inFlight.receipt("ann-1"), "a second receipt is not timed again");
        assertEquals(0, inFlight.refused());
        assertEquals(5, inFlight.expected());
        assertEquals(0, inFlight.unanswered(), "a second receipt does not make a send awaited again");
    }
}
