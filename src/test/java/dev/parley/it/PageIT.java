package dev.parley.it;

import static dev.parley.it.Browser.WAIT;
import static dev.parley.it.Browser.click;
import static dev.parley.it.Browser.join;
import static dev.parley.it.Browser.screenshot;
import static dev.parley.it.Browser.signIn;
import static dev.parley.it.Browser.signInWithAccount;
import static dev.parley.it.Browser.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.security.TokenService;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.Rectangle;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page in a real Chromium (Debian's chromium and chromium-driver, which .ci/run installs) against the
 * deployed WAR: two people sign in, join one room and chat. Screenshots go to target/screenshots/.
 */
@ExtendWith({FreshServer.class, ArquillianExtension.class})
@RunAsClient
@Tag("browser")
class PageIT {

    /**
     * WCAG's relative luminance and contrast ratio, of an element's text against the first background behind it
     * that is not transparent (the root's at last).
     */
    private static final String CONTRAST = """
            const rgb = (color) => color.match(/[\\d.]+/g).map(Number);
            const channel = (value) => {
              const v = value / 255;
              return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
            };
            const luminance = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
            const contrast = (element) => {
              let behind = element;
              while (behind.parentElement && (rgb(getComputedStyle(behind).backgroundColor)[3] ?? 1) === 0) {
                behind = behind.parentElement;
              }
              const [a, b] = [luminance(rgb(getComputedStyle(element).color)),
                luminance(rgb(getComputedStyle(behind).backgroundColor))];
              return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
            };
            """;

    private WebDriver ann;
    private WebDriver bob;

    @BeforeEach
    void browsers() {
        Browser.assumeChromium();
        ann = Browser.open();
        bob = Browser.open();
    }

    @AfterEach
    void quit() {
        Browser.quit(ann, bob);
    }

    @Test
    void twoPeopleChatInOneRoom() throws Exception {
        String room = Server.unique("page");
        String annName = Server.unique("ann");
        String bobName = Server.unique("bob");
        signIn(ann, annName);
        signIn(bob, bobName);
        join(ann, room);
        join(bob, room);

        waitFor(ann, By.xpath("//ul[@id='online-list']/li[text()='guest-" + bobName + "']"));
        assertEquals("(2)", ann.findElement(By.id("online-count")).getText());
        ann.findElement(By.id("members-toggle")).click();
        WebElement member = waitFor(ann, By.cssSelector("#member-list li[data-user='guest-" + bobName + "']"));
        assertTrue(member.getText().startsWith("guest-" + bobName + " · member"), member.getText());
        assertTrue(ann.findElement(By.cssSelector("#member-list li[data-user='guest-" + annName + "']")).getText()
                .startsWith("guest-" + annName + " · owner"));

        String hostile = "<img src=x onerror=\"document.title='owned'\"> & hi";
        WebElement text = ann.findElement(By.id("text"));
        text.sendKeys(hostile);
        text.sendKeys(Keys.ENTER);

        WebElement received = waitFor(bob, By.xpath(
                "//ol[@id='messages']/li[@data-seq and not(contains(@class,'mine'))]"));
        assertEquals(hostile, received.findElement(By.className("text")).getText(), "shown as text, verbatim");
        assertTrue(received.findElement(By.className("meta")).getText().startsWith("guest-" + annName));
        assertTrue(bob.findElements(By.cssSelector("#messages img")).isEmpty(), "no markup from a message");
        assertTrue(!"owned".equals(bob.getTitle()));

        WebElement own = waitFor(ann, By.cssSelector("#messages li.mine:not(.pending)"));
        assertEquals(hostile, own.findElement(By.className("text")).getText());
        String meta = own.findElement(By.className("meta")).getText();
        assertTrue(Pattern.matches("guest-" + annName + " · \\d\\d:\\d\\d.*", meta),
                "stored, it shows its time: " + meta);
        assertEquals(1, own.findElements(By.cssSelector("button[data-action='reply']")).size(),
                "and it may be replied to");
        assertEquals(1, ann.findElements(By.cssSelector("#messages li:not(.day)")).size(), "the sender sees it once");

        screenshot(ann, "chat-sender");
        screenshot(bob, "chat-receiver");
        // On a phone's width the page stacks its panels, the conversation within the screen, and still lets one write.
        bob.manage().window().setSize(new Dimension(390, 844));
        long screen = (Long) ((JavascriptExecutor) bob).executeScript("return document.documentElement.clientWidth");
        Rectangle roomList = bob.findElement(By.cssSelector("nav.rooms")).getRect();
        Rectangle conversation = bob.findElement(By.cssSelector("section.room")).getRect();
        Rectangle composer = bob.findElement(By.id("composer")).getRect();
        // Rectangles come in whole pixels, rounded from the layout's fractions: one panel's bottom may round up
        // past the next one's top by one.
        assertTrue(roomList.getY() + roomList.getHeight() <= conversation.getY() + 1,
                "the rooms above the conversation");
        assertTrue(conversation.getX() + conversation.getWidth() <= screen, "the conversation fits the screen");
        assertTrue(composer.getX() + composer.getWidth() <= screen, "the composer fits the screen");
        assertTrue(bob.findElement(By.id("text")).isDisplayed(), "the composer is there on a narrow screen");
        screenshot(bob, "chat-phone");
        bob.manage().window().setSize(new Dimension(1100, 700));

        // A reload keeps the session and shows the room's history.
        bob.navigate().refresh();
        WebElement again = waitFor(bob, By.xpath(
                "//ol[@id='messages']/li[@data-seq and not(contains(@class,'mine'))]"));
        assertEquals(hostile, again.findElement(By.className("text")).getText());
        List<WebElement> rooms = bob.findElements(By.cssSelector("#room-list button"));
        assertEquals(room, rooms.get(0).findElement(By.tagName("span")).getText());

        // A web address is a link, opening in a tab of its own, without the full stop after it; nothing else is.
        String linked = "read https://example.org/a?b=1&c=(2). or javascript:alert(1) or <a href=x>x</a>";
        ann.findElement(By.id("text")).sendKeys(linked, Keys.ENTER);
        WebElement withLink = waitFor(bob, By.xpath("//ol[@id='messages']/li[span[@class='text' and a]]"));
        assertEquals(linked, withLink.findElement(By.className("text")).getText(), "the words as they were sent");
        List<WebElement> links = withLink.findElements(By.cssSelector(".text a")); // not the time's own address
        assertEquals(List.of("https://example.org/a?b=1&c=(2)"), links.stream().map(a -> a.getAttribute("href"))
                .toList());
        assertEquals(List.of("_blank noopener noreferrer nofollow"), links.stream()
                .map(a -> a.getAttribute("target") + " " + a.getAttribute("rel")).toList());

        // Marks as chat apps write them: bold (with a link or code in it), italic (a link too), struck, and code as
        // it was written; snake_case, 2*3*4 and the underscores of an address stay as they are. A block between
        // ``` fences is code too.
        ann.findElement(By.id("text")).sendKeys("*see https://example.org/b* and _this_ not ~that~ in `x*y*`,"
                + " snake_case_name or 2*3*4; *run `make` now* at https://en.wikipedia.org/wiki/Foo_(_bar_)"
                + " or _https://example.org/c_", Keys.ENTER);
        WebElement styled = waitFor(bob, By.xpath("//ol[@id='messages']/li/span[@class='text' and strong]"));
        assertEquals("see https://example.org/b and this not that in x*y*, snake_case_name or 2*3*4; run make now"
                + " at https://en.wikipedia.org/wiki/Foo_(_bar_) or https://example.org/c", styled.getText());
        assertEquals(List.of("strong see https://example.org/b", "a https://example.org/b", "em this", "s that",
                "code x*y*", "strong run make now", "code make", "a https://en.wikipedia.org/wiki/Foo_(_bar_)",
                "em https://example.org/c", "a https://example.org/c"),
                styled.findElements(By.xpath(".//*")).stream().map(part -> part.getTagName() + " " + part.getText())
                        .toList());
        ann.findElement(By.id("text")).sendKeys("```let total = *a* + _b_;```", Keys.ENTER);
        WebElement block = waitFor(bob, By.cssSelector("#messages li .text pre code"));
        assertEquals("let total = *a* + _b_;", block.getText());

        // bob closes the page: ann's members list, open all along, marks him away.
        By bobListed = By.cssSelector("#member-list li[data-user='guest-" + bobName + "']");
        assertFalse(ann.findElement(bobListed).getText().contains("away"));
        bob.get("about:blank");
        new WebDriverWait(ann, WAIT).until(ExpectedConditions.textMatches(bobListed, Pattern.compile(" · away")));
    }

    /**
     * The tab's title counts the messages waiting unread in the other rooms, and those that came to the open room
     * while the tab was in the background, until it is looked at again; then "New messages" is above the first.
     */
    @Test
    void theTabsTitleCountsWhatWaitsUnreadAndALineMarksWhereItBegins() {
        String room = Server.unique("titled");
        signIn(ann, Server.unique("ann"));
        signIn(bob, Server.unique("bob"));
        join(ann, room);
        join(bob, room);
        join(bob, Server.unique("elsewhere"));
        ann.findElement(By.id("text")).sendKeys("one", Keys.ENTER);
        ann.findElement(By.id("text")).sendKeys("two", Keys.ENTER);
        new WebDriverWait(bob, WAIT).until(ExpectedConditions.titleIs("(2) Parley"));
        click(bob, By.xpath("//ul[@id='room-list']//button[span[text()='" + room + "']]"));
        new WebDriverWait(bob, WAIT).until(ExpectedConditions.titleIs("Parley"));
        assertEquals("one", firstAfterNewLine(bob), "what came while bob was in the other room");

        // Another tab in front: what comes to the open room now waits too. The title is read from that tab,
        // through storage both share.
        ((JavascriptExecutor) bob).executeScript("""
                new MutationObserver(() => localStorage.setItem('test.title', document.title))
                  .observe(document.querySelector('title'), { childList: true });""");
        String chat = bob.getWindowHandle();
        bob.switchTo().newWindow(WindowType.TAB);
        bob.get(Server.http("admin.html").toString());
        ann.findElement(By.id("text")).sendKeys("three", Keys.ENTER);
        new WebDriverWait(bob, WAIT).withMessage("the chat tab's title, behind the other tab, counts 'three'")
                .until(driver -> "(1) Parley".equals(((JavascriptExecutor) driver)
                .executeScript("return localStorage.getItem('test.title')")));
        bob.close();
        bob.switchTo().window(chat);
        new WebDriverWait(bob, WAIT).until(ExpectedConditions.titleIs("Parley"));
        assertEquals("three", firstAfterNewLine(bob), "what came while the tab was behind the other, the line moved");
        assertEquals(1, bob.findElements(By.cssSelector("#messages li.new-line")).size());
    }

    /**
     * What came while the page was closed waits as the page counts it live: the lines of others, not their
     * reactions; opening the room shows "New messages" above the first.
     */
    @Test
    void whatCameWhileThePageWasClosedIsCountedByItsLines() throws Exception {
        String room = Server.unique("waiting");
        signIn(bob, Server.unique("bob"));
        join(bob, room);
        try (WsClient cy = WsClient.joined(Server.unique("cy"), room)) {
            join(bob, Server.unique("elsewhere")); // listed first: the page opens it when it comes back
            bob.get("about:blank");
            cy.send(WsClient.send("s1", room, "while you were out", "away-1"));
            long seq = cy.reply("s1", "receipt").getJsonNumber("seq").longValue();
            cy.send(WsClient.frame("react").add("ref", "r").add("room", room).add("seq", seq).add("emoji", "👍"));
            cy.reply("r", "ok");
            cy.send(WsClient.send("s2", room, "and one more", "away-2"));
            cy.reply("s2", "receipt");
        }
        bob.get(Server.http("").toString());
        waitFor(bob, By.cssSelector("#room-list .badge[aria-label='2 unread']"));
        assertEquals("(2) Parley", bob.getTitle());
        click(bob, By.xpath("//ul[@id='room-list']//button[span[text()='" + room + "']]"));
        assertEquals("while you were out", firstAfterNewLine(bob));
    }

    /**
     * The page acks every message it holds (or the server sends it again), but only the open room's count read:
     * a room not looked at is still unread on another device and after a reload (which comes back to the room
     * that was open); once opened, it is read.
     */
    @Test
    void aRoomNotLookedAtStaysUnreadOnOtherDevicesAndAfterAReload() throws Exception {
        String later = Server.unique("later");
        String open = Server.unique("open");
        bobIn(later, open);
        try (WsClient cy = WsClient.joined(Server.unique("cy"), later)) {
            cy.send(WsClient.frame("join").add("ref", "j").add("room", open));
            cy.reply("j", "joined");
            cy.send(WsClient.send("s1", later, "first", "later-1"));
            cy.reply("s1", "receipt");
            cy.send(WsClient.send("s2", later, "second", "later-2"));
            cy.reply("s2", "receipt");
            cy.send(WsClient.send("s3", open, "in view", "open-1"));
            cy.reply("s3", "receipt");
        }
        waitFor(bob, By.cssSelector("#room-list .badge[aria-label='2 unread']"));
        waitFor(bob, By.xpath("//ol[@id='messages']/li/span[@class='text' and text()='in view']"));

        Map<String, Integer> unread = unreadOnAnotherDevice(bob, 2);
        assertEquals(Map.of(later, 2, open, 0), unread, "held in both rooms, read only in the open one");
        bob.navigate().refresh();
        new WebDriverWait(bob, WAIT).withMessage("the tab reloaded comes back to the room it had open")
                .until(ExpectedConditions.textToBe(By.id("room-title"), open));
        waitFor(bob, By.cssSelector("#room-list .badge[aria-label='2 unread']"));
        click(bob, By.xpath("//ul[@id='room-list']//button[span[text()='" + later + "']]"));
        assertEquals("first", firstAfterNewLine(bob));
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (unread.get(later) > 0 && System.nanoTime() < deadline) {
            Server.pause(500); // the page acks within a second, and the server writes markers within 5 s
            unread = unreadOnAnotherDevice(bob, 2);
        }
        assertEquals(Map.of(later, 0, open, 0), unread, "opened: read everywhere");
    }

    /** Read on another device, a room's lines are no longer unread on the page, up to where they were read. */
    @Test
    void whatIsReadOnAnotherDeviceIsNoLongerUnreadOnThePage() throws Exception {
        String elsewhere = Server.unique("elsewhere");
        String here = Server.unique("here");
        bobIn(elsewhere, here);
        try (WsClient phone = WsClient.hello(Server.ws(), savedToken(bob));
             WsClient cy = WsClient.joined(Server.unique("cy"), elsewhere)) {
            List<Long> seqs = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                cy.send(WsClient.send("s" + i, elsewhere, "line " + i, "line-" + i));
                seqs.add(cy.reply("s" + i, "receipt").getJsonNumber("seq").longValue());
            }
            waitFor(bob, By.cssSelector("#room-list .badge[aria-label='3 unread']"));
            phone.await("message", m -> m.getJsonNumber("seq").longValue() == seqs.get(2));

            phone.send(WsClient.frame("ack").add("room", elsewhere).add("seq", seqs.get(0)));
            waitFor(bob, By.cssSelector("#room-list .badge[aria-label='2 unread']"));
            bob.navigate().refresh(); // counted by the welcome now, not live
            new WebDriverWait(bob, WAIT).until(ExpectedConditions.textToBe(By.id("room-title"), here));
            waitFor(bob, By.cssSelector("#room-list .badge[aria-label='2 unread']"));
            phone.send(WsClient.frame("ack").add("room", elsewhere).add("seq", seqs.get(1)));
            waitFor(bob, By.cssSelector("#room-list .badge[aria-label='1 unread']"));
            phone.send(WsClient.frame("ack").add("room", elsewhere).add("seq", seqs.get(2)));
            new WebDriverWait(bob, WAIT).withMessage("every line read on the phone")
                    .until(driver -> driver.findElements(By.cssSelector("#room-list .badge")).isEmpty());
        }
    }

    /**
     * A busy room the page does not open: past a thousand unread lines it keeps the older ones as a count, and the
     * badge still says how many wait, and how many are left as a phone reads them, into that count and past it (the
     * count is exact here, every seq a line: what the page kept one by one leaves no other sign).
     */
    @Test
    void aBusyRoomNotOpenedCountsItsLinesPastAThousand() throws Exception {
        String busy = Server.unique("busy");
        String here = Server.unique("here");
        bobIn(busy, here);
        int each = Server.limits().getInt("frameBurst") - 10; // with hello and join, within a connection's burst
        int talkers = (1110 + each - 1) / each; // past the thousand lines the page keeps one by one
        int lines = talkers * each;
        try (WsClient phone = WsClient.hello(Server.ws(), savedToken(bob))) {
            for (int t = 0; t < talkers; t++) {
                try (WsClient talker = WsClient.joined(Server.unique("talker"), busy)) {
                    Set<String> refs = new HashSet<>();
                    for (int n = 0; n < each; n++) {
                        String ref = "s" + n;
                        talker.send(WsClient.send(ref, busy, "line " + n, ref));
                        refs.add(ref);
                    }
                    talker.replies(refs, "receipt");
                }
            }
            // The talkers' lines took the room's seqs 1 to lines: nothing else took one.
            phone.await("message", m -> m.getJsonNumber("seq").longValue() == lines);
            waitFor(bob, By.cssSelector("#room-list .badge[aria-label='" + lines + " unread']"));

            phone.send(WsClient.frame("ack").add("room", busy).add("seq", 300));
            waitFor(bob, By.cssSelector("#room-list .badge[aria-label='" + (lines - 300) + " unread']"));
            phone.send(WsClient.frame("ack").add("room", busy).add("seq", 700));
            waitFor(bob, By.cssSelector("#room-list .badge[aria-label='" + (lines - 700) + " unread']"));
        }
        click(bob, By.xpath("//ul[@id='room-list']//button[span[text()='" + busy + "']]"));
        new WebDriverWait(bob, WAIT).withMessage("read once opened")
                .until(driver -> driver.findElements(By.cssSelector("#room-list .badge")).isEmpty());
    }

    /** Read on another device while the page was offline: its reconnect's welcome counts it read. */
    @Test
    void whatWasReadElsewhereWhileThePageWasOfflineIsNotUnreadOnceItIsBack() throws Exception {
        String elsewhere = Server.unique("away");
        String here = Server.unique("here");
        try (CuttableProxy network = new CuttableProxy(Integer.parseInt(System.getProperty("it.http.port")))) {
            signIn(bob, throughProxy(network), Server.unique("bob"));
            join(bob, elsewhere);
            join(bob, here);
            try (WsClient phone = WsClient.hello(Server.ws(), savedToken(bob));
                 WsClient cy = WsClient.joined(Server.unique("cy"), elsewhere)) {
                cy.send(WsClient.send("s1", elsewhere, "first", "away-1"));
                cy.reply("s1", "receipt");
                cy.send(WsClient.send("s2", elsewhere, "second", "away-2"));
                long last = cy.reply("s2", "receipt").getJsonNumber("seq").longValue();
                waitFor(bob, By.cssSelector("#room-list .badge[aria-label='2 unread']"));

                cut(network, bob);
                phone.await("message", m -> m.getJsonNumber("seq").longValue() == last);
                phone.send(WsClient.frame("ack").add("room", elsewhere).add("seq", last));
                phone.send(WsClient.frame("ping").add("ref", "p"));
                phone.reply("p", "pong"); // the ack is in: the page's hello writes it before counting
                restore(network, bob);
                new WebDriverWait(bob, WAIT).withMessage("read on the phone while the page was away")
                        .until(driver -> driver.findElements(By.cssSelector("#room-list .badge")).isEmpty());
            }
        }
    }

    /**
     * A new device of the page's user: the unread count of each room its welcome lists, once the page's acks have
     * reached the server (a device without a position is replayed what the user's devices have not acked).
     */
    private static Map<String, Integer> unreadOnAnotherDevice(WebDriver page, int rooms) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try (WsClient phone = WsClient.hello(Server.ws(), savedToken(page))) {
                for (int i = 0; i < rooms; i++) {
                    phone.await("synced");
                }
                List<JsonObject> replayed = phone.seen().stream().filter(f -> f.getString("type").equals("message"))
                        .toList();
                if (replayed.isEmpty()) {
                    return phone.seen().get(0).getJsonArray("rooms").getValuesAs(JsonObject.class).stream()
                            .collect(Collectors.toMap(room -> room.getString("room"), room -> room.getInt("unread")));
                }
                assertTrue(System.nanoTime() < deadline, "the page's acks never reached the server: " + replayed);
            }
            Server.pause(500);
        }
    }

    /** The text of the message just below "New messages". */
    private static String firstAfterNewLine(WebDriver driver) {
        WebElement line = waitFor(driver, By.cssSelector("#messages li.new-line"));
        assertEquals("New messages", line.getText());
        return line.findElement(By.xpath("following-sibling::li[1]/span[@class='text']")).getText();
    }

    /** Who is typing in the open room is said under the conversation, until they send or stop for a while. */
    @Test
    void whoIsTypingIsSaidUntilTheySendOrStop() throws Exception {
        String room = Server.unique("typists");
        signIn(ann, Server.unique("ann"));
        signIn(bob, Server.unique("bob"));
        join(ann, room);
        join(bob, room);
        String bobName = bob.findElement(By.id("me")).getText();
        try (WsClient cy = WsClient.joined(Server.unique("cy"), room)) {
            bob.findElement(By.id("text")).sendKeys("on my way");
            new WebDriverWait(ann, WAIT).until(ExpectedConditions.textToBe(By.id("typing"),
                    bobName + " is typing…"));
            cy.send(WsClient.frame("typing").add("room", room));
            List<String> both = Stream.of(bobName, cy.user()).sorted().toList();
            new WebDriverWait(ann, WAIT).until(ExpectedConditions.textToBe(By.id("typing"),
                    both.get(0) + " and " + both.get(1) + " are typing…"));
            bob.findElement(By.id("text")).sendKeys(Keys.ENTER);
            new WebDriverWait(ann, WAIT).until(ExpectedConditions.textToBe(By.id("typing"),
                    cy.user() + " is typing…"));
            new WebDriverWait(ann, WAIT).withMessage("cy said nothing more: forgotten after a few seconds")
                    .until(ExpectedConditions.textToBe(By.id("typing"), ""));
        }
    }

    @Test
    void aSenderEditsAndDeletesAndTheOtherPersonSeesBoth() throws Exception {
        String room = Server.unique("fixes");
        String annName = Server.unique("ann");
        annAndBobIn(room, annName);
        ann.findElement(By.id("text")).sendKeys("teh first", Keys.ENTER);
        waitFor(ann, By.cssSelector("#messages li.mine[data-seq='1']"));
        ann.findElement(By.id("text")).sendKeys("regrettable", Keys.ENTER);
        waitFor(ann, By.cssSelector("#messages li.mine[data-seq='2']"));
        waitFor(bob, By.cssSelector("#messages li[data-seq='2']"));

        // An edit begun with something typed in the box: given up or saved, what was typed is back.
        WebElement composer = ann.findElement(By.id("text"));
        composer.sendKeys("half a thought");
        ann.findElement(By.cssSelector("#messages li[data-seq='1'] [data-action='edit']")).click();
        assertEquals("teh first", composer.getAttribute("value"), "the text to fix is in the composer");
        composer.sendKeys(Keys.ESCAPE);
        assertEquals("half a thought", composer.getAttribute("value"));
        ann.findElement(By.cssSelector("#messages li[data-seq='1'] [data-action='edit']")).click();
        composer.clear();
        composer.sendKeys("the *first*", Keys.ENTER);
        new WebDriverWait(ann, WAIT).until(ExpectedConditions.attributeToBe(composer, "value", "half a thought"));
        composer.clear();
        WebElement edited = waitFor(bob, By.xpath("//ol[@id='messages']/li[@data-seq='1']"
                + "[span[@class='text' and strong='first']]"));
        assertTrue(edited.findElement(By.className("meta")).getText().endsWith("(edited)"));

        ann.findElement(By.cssSelector("#messages li[data-seq='2'] [data-action='delete']")).click();
        WebElement deleted = waitFor(bob, By.cssSelector("#messages li.deleted[data-seq='2']"));
        assertEquals("message deleted", deleted.findElement(By.className("text")).getText());
        assertTrue(bob.findElements(By.cssSelector("#messages li[data-seq='1'] [data-action='delete']")).isEmpty(),
                "bob is no moderator here: no delete on ann's message");
        screenshot(bob, "edited-and-deleted");
        // Up in ann's empty box takes her last message that stands (not the deleted one) to be edited, as she
        // wrote it (its marks too).
        ann.findElement(By.id("text")).sendKeys(Keys.ARROW_UP);
        assertEquals("the *first*", ann.findElement(By.id("text")).getAttribute("value"));
        ann.findElement(By.id("text")).sendKeys(Keys.ESCAPE);
        assertEquals("", ann.findElement(By.id("text")).getAttribute("value"), "given up, the box is empty again");

        // bob answers ann's first message: the reply shows what it answers; Tab completes ann's name.
        bob.findElement(By.cssSelector("#messages li[data-seq='1'] [data-action='reply']")).click();
        assertEquals("Replying to guest-" + annName + ": the first", bob.findElement(By.id("reply-text")).getText());
        bob.findElement(By.id("text")).sendKeys("thanks @guest-ann", Keys.TAB);
        assertEquals("thanks @guest-" + annName + " ", bob.findElement(By.id("text")).getAttribute("value"));
        bob.findElement(By.id("text")).sendKeys("!", Keys.ENTER);
        WebElement mention = waitFor(ann, By.cssSelector("#messages li.mention"));
        assertEquals("thanks @guest-" + annName + " !", mention.findElement(By.className("text")).getText(),
                "a message naming ann stands out on her page");
        assertEquals("guest-" + annName + ": the first", mention.findElement(By.className("quote")).getText(),
                "with the message it answers above it");
        assertEquals(1, ann.findElements(By.cssSelector("#messages li.day")).size(), "one day, one separator");
        // ann takes her first message back: the reply's quote loses its words too, on both pages.
        ann.findElement(By.cssSelector("#messages li[data-seq='1'] [data-action='delete']")).click();
        for (WebDriver page : List.of(ann, bob)) {
            new WebDriverWait(page, WAIT).until(ExpectedConditions.textToBe(By.cssSelector("#messages .quote"),
                    "a deleted message"));
        }

        // ann owns the room: her online list has a moderator's tools for bob.
        String bobName = bob.findElement(By.id("me")).getText();
        click(ann, By.xpath("//ul[@id='online-list']/li[text()='" + bobName + "']//button[@data-action='mute']"));
        waitFor(bob, By.xpath("//ol[@id='messages']/li[contains(@class,'system')]/span[@class='text' and text()='"
                + "guest-" + annName + " muted " + bobName + " for 10 minutes']"));
        bob.findElement(By.id("text")).sendKeys("can I still talk?", Keys.ENTER);
        new WebDriverWait(bob, WAIT).until(ExpectedConditions.textMatches(By.id("chat-error"),
                Pattern.compile("you are muted in " + room + " for \\d+ more seconds")));
        assertEquals("can I still talk?", bob.findElement(By.id("text")).getAttribute("value"), "given back");

        // A mute in one room does not keep bob from writing to ann directly; what he typed stays in the room.
        click(bob, By.xpath("//ul[@id='online-list']/li[text()='guest-" + annName + "']//button[@data-action='dm']"));
        new WebDriverWait(bob, WAIT).until(ExpectedConditions.textToBe(By.id("room-title"), "@ guest-" + annName));
        assertEquals("", bob.findElement(By.id("text")).getAttribute("value"), "nothing of the room's box");
        bob.findElement(By.id("text")).sendKeys("just between us", Keys.ENTER);
        click(ann, By.xpath("//ul[@id='room-list']//button[span[text()='@ " + bobName + "']]"));
        waitFor(ann, By.xpath("//ol[@id='messages']/li/span[@class='text' and text()='just between us']"));
        screenshot(ann, "direct-message");

        // Back in the room, ann gives bob a tip (with a double click: one tip): both see the tip line.
        click(ann, By.xpath("//ul[@id='room-list']//button[span[text()='" + room + "']]"));
        new WebDriverWait(ann, WAIT).until(ExpectedConditions.textToBe(By.id("room-title"), room));
        By tipToBob = By.xpath("//ul[@id='online-list']/li[text()='" + bobName + "']//button[@data-action='tip']");
        new WebDriverWait(ann, WAIT).ignoring(StaleElementReferenceException.class).until(d -> {
            new Actions(d).doubleClick(d.findElement(tipToBob)).perform(); // the list is drawn anew on presence
            return true;
        });
        WebElement tip = waitFor(ann, By.cssSelector("#messages li.tip"));
        assertEquals("🎁 gave " + bobName + " 10", tip.findElement(By.className("text")).getText());
        // A tip is answered, reacted to and deleted by its giver, not edited or pinned (the server refuses those).
        assertEquals(List.of("reply", "react", "delete"), tip.findElements(By.cssSelector(".actions button")).stream()
                .map(button -> button.getAttribute("data-action")).toList());
        click(ann, By.cssSelector("#messages li.tip [data-action='react']"));
        click(ann, By.cssSelector("#messages li.tip button[aria-label='React with \uD83C\uDF89']"));
        click(bob, By.xpath("//ul[@id='room-list']//button[span[text()='" + room + "']]"));
        new WebDriverWait(bob, WAIT).until(ExpectedConditions.textToBe(
                By.cssSelector("#messages li.tip button[data-emoji='\uD83C\uDF89']"), "\uD83C\uDF89 1"));
        assertEquals(1, bob.findElements(By.cssSelector("#messages li.tip")).size(),
                "one tip for the double click (a second would have come before the reaction)");
    }

    /**
     * Edit is offered while the server takes an edit, as long as the welcome says (the test server's window is not the
     * default one): ann's page, its clock set ahead by all but 30 seconds of that window and reloaded, offers Edit on
     * her message, then takes it away when the window closes (Up in the box no longer takes the message either). Her
     * next message, sent when the page's clock is past the window even for it, has Edit (and Up takes it): its
     * receipt showed the page how far off its clock is, and the first message is offered for editing again.
     */
    @Test
    void editIsOfferedOnlyWhileTheServerTakesIt() throws Exception {
        String room = Server.unique("window");
        signIn(ann, Server.unique("ann"));
        join(ann, room);
        ann.findElement(By.id("text")).sendKeys("soon set in stone", Keys.ENTER);
        By first = By.cssSelector("#messages li.mine[data-seq='1'] [data-action='edit']");
        waitFor(ann, first);
        long window;
        try (WsClient someone = WsClient.hello(Server.ws(), Server.guest(Server.unique("cy")).getString("token"))) {
            window = someone.seen().get(0).getJsonNumber("editSeconds").longValueExact();
        }
        assertEquals(Duration.parse(Server.limits().getString("editWindow")).toSeconds(), window,
                "the window the server keeps");
        ((ChromeDriver) ann).executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source",
                "{ " + clockAhead(Duration.ofSeconds(window).minusSeconds(30)) + " }"));
        ann.navigate().refresh();
        waitFor(ann, first);
        new WebDriverWait(ann, WAIT.multipliedBy(2)).withMessage("Edit goes when the window closes")
                .until(ExpectedConditions.invisibilityOfElementLocated(first));
        ann.findElement(By.id("text")).sendKeys(Keys.ARROW_UP);
        assertEquals("", ann.findElement(By.id("text")).getAttribute("value"), "Up takes no message past its window");

        // Past the window by the page's clock now: only the receipt can tell the page that the server's is behind.
        ((JavascriptExecutor) ann).executeScript(clockAhead(Duration.ofMinutes(1)));
        ann.findElement(By.id("text")).sendKeys("still mine to fix", Keys.ENTER);
        waitFor(ann, By.cssSelector("#messages li.mine[data-seq='2'] [data-action='edit']"));
        ann.findElement(By.id("text")).sendKeys(Keys.ARROW_UP);
        assertEquals("still mine to fix", ann.findElement(By.id("text")).getAttribute("value"), "Up takes it too");
        waitFor(ann, first); // by the server's clock the first one's window has minutes to go
    }

    /**
     * A computer asleep past the edit window: its timers stood still, so back online the page draws the actions
     * again, and the message's Edit is gone.
     */
    @Test
    void editIsNotOfferedAfterASleepPastTheWindow() throws Exception {
        String room = Server.unique("asleep");
        try (CuttableProxy network = new CuttableProxy(Integer.parseInt(System.getProperty("it.http.port")))) {
            signIn(ann, throughProxy(network), Server.unique("ann"));
            join(ann, room);
            ann.findElement(By.id("text")).sendKeys("said before the night", Keys.ENTER);
            By edit = By.cssSelector("#messages li.mine[data-seq='1'] [data-action='edit']");
            waitFor(ann, edit);
            cut(network, ann);
            // The night: the page's clock moves on a day, and no timer fires.
            ((JavascriptExecutor) ann).executeScript(clockAhead(Duration.ofDays(1)));
            assertEquals(1, ann.findElements(edit).size(), "nothing drew the actions yet");
            restore(network, ann);
            new WebDriverWait(ann, WAIT).withMessage("Edit gone once back online")
                    .until(ExpectedConditions.invisibilityOfElementLocated(edit));
            waitFor(ann, By.cssSelector("#messages li.mine[data-seq='1'] [data-action='delete']")); // the rest stays
        }
    }

    /**
     * The room's owner sets its topic: the other member sees it under the room's name and as a line of the
     * conversation, still after a reload; a member is not offered to change it. Cleared, it goes. A member the
     * owner makes moderator is offered a moderator's actions at once, and no longer once made a member again. The
     * owner gives the room to that member, and stays on as a moderator.
     */
    @Test
    void anOwnersTopicShowsUnderTheRoomsNameForEverybody() throws Exception {
        String room = Server.unique("topics");
        String annName = Server.unique("ann");
        annAndBobIn(room, annName);
        assertFalse(bob.findElement(By.id("topic-toggle")).isDisplayed(), "bob is a member, not a moderator");

        click(ann, By.id("topic-toggle"));
        waitFor(ann, By.id("topic-text")).sendKeys("Plans for Saturday", Keys.ENTER);
        new WebDriverWait(bob, WAIT).until(ExpectedConditions.textToBe(By.id("room-topic"), "Plans for Saturday"));
        waitFor(bob, By.xpath("//ol[@id='messages']/li[contains(@class,'system')]/span[@class='text' and text()="
                + "'set the topic: Plans for Saturday']"));
        new WebDriverWait(ann, WAIT).withMessage("set, the form closes")
                .until(ExpectedConditions.invisibilityOfElementLocated(By.id("topic-form")));
        assertEquals("topic-toggle", ann.switchTo().activeElement().getAttribute("id"),
                "the keyboard goes on from the button that opened the form, not from the top of the page");
        screenshot(bob, "topic");

        bob.navigate().refresh();
        new WebDriverWait(bob, WAIT).until(ExpectedConditions.textToBe(By.id("room-title"), room));
        new WebDriverWait(bob, WAIT).until(ExpectedConditions.textToBe(By.id("room-topic"), "Plans for Saturday"));

        click(ann, By.id("topic-toggle"));
        WebElement box = waitFor(ann, By.id("topic-text"));
        assertEquals("Plans for Saturday", box.getAttribute("value"), "the topic to change is in the box");
        box.clear();
        box.sendKeys(Keys.ENTER);
        waitFor(bob, By.xpath("//ol[@id='messages']/li/span[@class='text' and text()='cleared the topic']"));
        new WebDriverWait(bob, WAIT).until(ExpectedConditions.invisibilityOfElementLocated(By.id("room-topic")));

        // ann makes bob a moderator in the member list: his open page offers him the topic and the deleting of
        // her message at once; made a member again, it stops offering them.
        ann.findElement(By.id("text")).sendKeys("over to you", Keys.ENTER);
        By annsDelete = By.xpath("//ol[@id='messages']/li[span[@class='text' and text()='over to you']]"
                + "//button[@data-action='delete']");
        waitFor(bob, By.xpath("//ol[@id='messages']/li/span[@class='text' and text()='over to you']"));
        assertTrue(bob.findElements(annsDelete).isEmpty(), "not a member's to delete");
        String bobName = bob.findElement(By.id("me")).getText();
        By bobsRole = By.cssSelector("#member-list li[data-user='" + bobName + "'] button[data-action='role']");
        click(ann, By.id("members-toggle"));
        assertEquals("Make moderator", waitFor(ann, bobsRole).getText());
        click(ann, bobsRole);
        waitFor(bob, By.id("topic-toggle"));
        waitFor(bob, annsDelete);
        new WebDriverWait(ann, WAIT).until(ExpectedConditions.textToBe(bobsRole, "Make member"));
        assertTrue(ann.findElement(By.cssSelector("#member-list li[data-user='" + bobName + "']")).getText()
                .startsWith(bobName + " · moderator"), "the member list shows the new role");
        click(ann, bobsRole);
        new WebDriverWait(bob, WAIT).until(ExpectedConditions.invisibilityOfElementLocated(By.id("topic-toggle")));
        new WebDriverWait(bob, WAIT).until(d -> d.findElements(annsDelete).isEmpty());

        // ann gives bob the room, at the second press: his member list offers him her role, hers no longer his.
        By handOver = By.cssSelector("#member-list li[data-user='" + bobName + "'] button[data-action='hand-over']");
        click(ann, handOver);
        By confirm = By.cssSelector("#member-list li[data-user='" + bobName + "'] [data-action='hand-over-confirm']");
        assertEquals("Give " + room + " to " + bobName, waitFor(ann, confirm).getText());
        click(ann, confirm);
        String annUser = ann.findElement(By.id("me")).getText();
        waitFor(bob, By.xpath("//ol[@id='messages']/li/span[@class='text' and text()='" + annUser
                + " handed the room to " + bobName + "']"));
        new WebDriverWait(ann, WAIT).until(ExpectedConditions.invisibilityOfElementLocated(bobsRole));
        assertTrue(ann.findElement(By.cssSelector("#member-list li[data-user='" + bobName + "']")).getText()
                .startsWith(bobName + " · owner"));
        click(bob, By.id("members-toggle"));
        By annsRole = By.cssSelector("#member-list li[data-user='" + annUser + "'] button[data-action='role']");
        assertEquals("Make member", waitFor(bob, annsRole).getText(), "ann stays on as a moderator");
        waitFor(ann, By.id("topic-toggle"));
    }

    /**
     * An owner archives their room at the second press of Archive: both pages say who did it, nothing more goes out
     * there (the page offers no box), and what was said stays to be read. A member is not offered it; his open page
     * turns read-only at once (and stays so after a reload, its room list marking the room), and open again when an
     * administrator reopens the room.
     */
    @Test
    void anOwnerArchivesTheRoomAndWhatWasSaidStaysToBeRead() throws Exception {
        String room = Server.unique("archived");
        String annName = Server.unique("ann");
        annAndBobIn(room, annName);
        assertFalse(bob.findElement(By.id("archive")).isDisplayed(), "bob is a member, not the owner");
        bob.findElement(By.id("text")).sendKeys("said before the archive", Keys.ENTER);
        By said = By.xpath("//ol[@id='messages']/li/span[@class='text' and text()='said before the archive']");
        waitFor(ann, said);

        click(ann, By.id("archive"));
        assertEquals("Archive " + room + " for everybody", ann.findElement(By.id("archive")).getText(),
                "asked once more");
        click(ann, By.id("archive"));
        By line = By.xpath("//ol[@id='messages']/li[contains(@class,'system')]/span[@class='text' and text()='guest-"
                + annName + " archived the room: it is read-only now.']");
        waitFor(ann, line);
        waitFor(bob, line);
        waitFor(ann, By.id("archived-note"));
        assertFalse(ann.findElement(By.id("composer")).isDisplayed(), "no box to write in");
        assertFalse(ann.findElement(By.id("archive")).isDisplayed(), "archived already");
        assertFalse(ann.findElement(By.id("topic-toggle")).isDisplayed(), "it takes no new topic");
        assertTrue(ann.findElements(By.cssSelector("#messages button[data-action='reply']")).isEmpty(),
                "nothing to answer in a room that takes nothing");

        // bob's page had the room open: it is told at once, and opens it so again.
        By archivedInList = By.cssSelector("#room-list li[data-room='" + room + "'] .room-state");
        for (boolean reloaded : List.of(false, true)) {
            if (reloaded) {
                bob.navigate().refresh();
                new WebDriverWait(bob, WAIT).until(ExpectedConditions.textToBe(By.id("room-title"), room));
                waitFor(bob, said);
                waitFor(bob, line);
            }
            assertEquals("This room is archived: it is read-only.", waitFor(bob, By.id("archived-note")).getText());
            assertFalse(bob.findElement(By.id("composer")).isDisplayed(), reloaded ? "reloaded" : "live");
            assertTrue(bob.findElements(By.cssSelector("#messages button[data-action='edit']")).isEmpty());
            assertEquals(1, bob.findElements(By.cssSelector("#messages button[data-action='delete']")).size(),
                    "his own message he may still delete");
            waitFor(bob, By.cssSelector("#online-list button[data-action='dm']")); // ann is listed, with her tools
            assertTrue(bob.findElements(By.cssSelector("#online-list button[data-action='tip']")).isEmpty(),
                    "a tip is a line, which the room does not take");
            assertEquals("archived", waitFor(bob, archivedInList).getText(), "the room list says so too");
        }
        screenshot(bob, "archived");

        HttpResponse<String> reopened = Server.post("api/admin/rooms/" + room + "/reopen", Server.adminToken(), "{}");
        assertEquals(200, reopened.statusCode(), reopened.body());
        waitFor(bob, By.id("composer"));
        assertFalse(bob.findElement(By.id("archived-note")).isDisplayed(), "an open room takes messages again");
        waitFor(bob, By.cssSelector("#messages button[data-action='edit']"));
        waitFor(bob, By.cssSelector("#online-list button[data-action='tip']"));
        assertTrue(bob.findElements(archivedInList).isEmpty(), "open again in the room list");
        waitFor(ann, By.id("composer"));
        assertEquals("Archive", waitFor(ann, By.id("archive")).getText(), "its owner may archive it again");
        bob.findElement(By.id("text")).sendKeys("back again", Keys.ENTER);
        waitFor(ann, By.xpath("//ol[@id='messages']/li/span[@class='text' and text()='back again']"));
    }

    /**
     * An archived room takes no new topic, but its owner may still clear the one it has (as its messages may still
     * be deleted): the page offers only that, and the member sees the topic go.
     */
    @Test
    void theTopicOfAnArchivedRoomCanOnlyBeCleared() throws Exception {
        String room = Server.unique("archived_topic");
        annAndBobIn(room, Server.unique("ann"));
        try (WsClient annsPhone = WsClient.hello(Server.ws(), savedToken(ann))) {
            annsPhone.send(WsClient.frame("topic").add("ref", "t").add("room", room).add("text", "Plans"));
            annsPhone.reply("t", "ok");
            annsPhone.send(WsClient.frame("archive").add("ref", "a").add("room", room));
            annsPhone.reply("a", "ok");
        }
        waitFor(ann, By.id("archived-note"));
        new WebDriverWait(bob, WAIT).until(ExpectedConditions.textToBe(By.id("room-topic"), "Plans"));
        assertFalse(bob.findElement(By.id("topic-toggle")).isDisplayed(), "a member is offered nothing");

        click(ann, By.id("topic-toggle"));
        assertFalse(ann.findElement(By.id("topic-text")).isDisplayed(), "no new topic to write");
        assertEquals("Clear topic", ann.findElement(By.id("topic-set")).getText());
        click(ann, By.id("topic-set"));
        new WebDriverWait(bob, WAIT).until(ExpectedConditions.invisibilityOfElementLocated(By.id("room-topic")));
        new WebDriverWait(ann, WAIT).withMessage("nothing left to clear")
                .until(ExpectedConditions.invisibilityOfElementLocated(By.id("topic-toggle")));

        // Reopened, the room takes a topic again: the form is the one to write it.
        HttpResponse<String> reopened = Server.post("api/admin/rooms/" + room + "/reopen", Server.adminToken(), "{}");
        assertEquals(200, reopened.statusCode(), reopened.body());
        click(ann, By.id("topic-toggle"));
        assertTrue(waitFor(ann, By.id("topic-text")).isDisplayed());
        assertEquals("Set topic", ann.findElement(By.id("topic-set")).getText());
    }

    /**
     * Members react to a message from its actions (the sender too, the moment it is stored): everybody sees each
     * emoji with how many made it and who, joins one by a click and takes their own back; after a reload too, and
     * the reactions are no lines of the conversation.
     */
    @Test
    void reactionsShowUnderTheMessageWithHowManyAndWhoMadeThem() throws Exception {
        String room = Server.unique("reactions");
        signIn(ann, Server.unique("ann"));
        signIn(bob, Server.unique("bob"));
        join(ann, room);
        join(bob, room);
        String annName = ann.findElement(By.id("me")).getText();
        String bobName = bob.findElement(By.id("me")).getText();
        ann.findElement(By.id("text")).sendKeys("lunch at noon?", Keys.ENTER);
        String line = "//ol[@id='messages']/li[span[@class='text' and text()='lunch at noon?']]";
        waitFor(ann, By.cssSelector("#messages li.mine:not(.pending)"));
        int lines = ann.findElements(By.cssSelector("#messages li[data-seq]")).size();
        click(ann, By.xpath(line + "//button[@data-action='react']"));
        click(ann, By.xpath(line + "//button[@aria-label='React with \uD83C\uDF89']"));
        By party = By.xpath(line + "//button[@data-emoji='\uD83C\uDF89']");
        new WebDriverWait(bob, WAIT).until(ExpectedConditions.textToBe(party, "\uD83C\uDF89 1"));

        click(bob, By.xpath(line + "//button[@data-action='react']"));
        click(bob, By.xpath(line + "//button[@aria-label='React with \uD83D\uDC4D']"));
        By thumbs = By.xpath(line + "//button[@data-emoji='\uD83D\uDC4D']");
        new WebDriverWait(ann, WAIT).until(ExpectedConditions.textToBe(thumbs, "\uD83D\uDC4D 1"));
        assertEquals(List.of(bobName, "false"), List.of(ann.findElement(thumbs).getAttribute("title"),
                ann.findElement(thumbs).getAttribute("aria-pressed")), "bob's, not ann's");
        click(ann, thumbs);
        new WebDriverWait(bob, WAIT).until(ExpectedConditions.textToBe(thumbs, "\uD83D\uDC4D 2"));
        assertEquals(bobName + ", " + annName, bob.findElement(thumbs).getAttribute("title"), "in the order made");
        click(bob, thumbs);
        new WebDriverWait(ann, WAIT).until(ExpectedConditions.textToBe(thumbs, "\uD83D\uDC4D 1"));
        assertEquals(List.of(annName, "true"), List.of(ann.findElement(thumbs).getAttribute("title"),
                ann.findElement(thumbs).getAttribute("aria-pressed")));
        assertEquals(lines, ann.findElements(By.cssSelector("#messages li[data-seq]")).size(), "no lines of their own");
        screenshot(ann, "reactions");

        bob.navigate().refresh();
        new WebDriverWait(bob, WAIT).until(ExpectedConditions.textToBe(By.id("room-title"), room));
        assertEquals("\uD83D\uDC4D 1", waitFor(bob, thumbs).getText(), "read from the history's events");
        assertEquals(List.of(annName, "false"), List.of(bob.findElement(thumbs).getAttribute("title"),
                bob.findElement(thumbs).getAttribute("aria-pressed")));
        assertEquals("\uD83C\uDF89 1", bob.findElement(party).getText());

        // A search finds the message with its reactions, which the answer carries: shown there, not made there.
        click(bob, By.id("search-toggle"));
        waitFor(bob, By.id("search-text")).sendKeys("lunch", Keys.ENTER);
        WebElement listed = waitFor(bob, By.cssSelector("#search-results li .reaction[data-emoji='\uD83D\uDC4D']"));
        assertEquals(List.of("\uD83D\uDC4D 1", annName, "span"), List.of(listed.getText(),
                listed.getAttribute("title"), listed.getTagName()));
    }

    /**
     * A message's time is its web address: followed on a page that is open, or one that opens with it, it shows the
     * room at that message, in view and marked, loading earlier pages as far back as it is.
     */
    @Test
    void aMessagesTimeIsItsAddress() throws Exception {
        String room = Server.unique("addressed");
        Server.postAsFastAsReceiptsCome(IntStream.rangeClosed(1, 80).mapToObj(i -> Map.entry(room, "line " + i))
                .toList(), 10);
        signIn(bob, Server.unique("bob"));
        join(bob, room);
        WebElement newest = waitFor(bob, By.xpath("//ol[@id='messages']/li[span[@class='text' and text()='line 80']]"));
        String address = newest.findElement(By.cssSelector(".meta a.permalink")).getAttribute("href");
        assertTrue(address.endsWith("#room=" + room + "&seq=80"), address);

        bob.get(address.replace("seq=80", "seq=5")); // the same page: only the fragment changes
        assertEquals("line 5", soughtInView(bob), "from an earlier page than the room opened with");
        new WebDriverWait(bob, WAIT).withMessage("taken off the address").until(d -> !d.getCurrentUrl().contains("#"));
        // A reply's quote leads to what it answers (sending took the view down to the reply).
        click(bob, By.cssSelector("#messages li[data-seq='6'] [data-action='reply']"));
        bob.findElement(By.id("text")).sendKeys("about six", Keys.ENTER);
        waitFor(bob, By.cssSelector("#messages li.mine:not(.pending) .quote")).click();
        assertEquals("line 6", soughtInView(bob));

        ann.get(address.replace("seq=80", "seq=7"));
        ann.findElement(By.id("nickname")).sendKeys(Server.unique("ann"), Keys.ENTER);
        assertEquals("line 7", soughtInView(ann));
        assertEquals(room, ann.findElement(By.id("room-title")).getText(), "joined on the way: the room is public");
    }

    /** The text of the line marked as the one sought, once there is one in the conversation's view. */
    private static String soughtInView(WebDriver driver) {
        return new WebDriverWait(driver, WAIT).withMessage("a line marked as sought, in view").until(d ->
                (String) ((JavascriptExecutor) d).executeScript("""
                        const line = document.querySelector('#messages li.sought');
                        if (!line) return null;
                        const box = line.getBoundingClientRect();
                        const view = document.getElementById('messages').getBoundingClientRect();
                        return box.top >= view.top && box.bottom <= view.bottom
                          ? line.querySelector('.text').textContent : null;"""));
    }

    /**
     * A room where every message got several reactions: the page opens it with all its lines, though the reactions
     * take most of the seqs of a page of history.
     */
    @Test
    void aRoomOfManyReactionsOpensWithAScreenfulOfLines() throws Exception {
        String room = Server.unique("cheerful");
        int messages = 12;
        List<String> emoji = List.of("\uD83D\uDC4D", "\u2764\uFE0F", "\uD83D\uDE02", "\uD83C\uDF89");
        try (AutoCloseable unlimited = Server.framesUnlimited();
             WsClient bob = WsClient.joined(Server.unique("bob"), room)) {
            for (int i = 1; i <= messages; i++) {
                bob.send(WsClient.send("s" + i, room, "news " + i, "news-" + i));
                long seq = bob.reply("s" + i, "receipt").getJsonNumber("seq").longValue();
                for (String each : emoji) {
                    String ref = "r" + i + each;
                    bob.send(WsClient.frame("react").add("ref", ref).add("room", room).add("seq", seq)
                            .add("emoji", each));
                    bob.reply(ref, "ok");
                }
            }
        }
        signIn(ann, Server.unique("ann"));
        join(ann, room);
        new WebDriverWait(ann, WAIT).withMessage("every line, not those of the newest 50 seqs only").until(
                ExpectedConditions.numberOfElementsToBe(By.cssSelector("#messages li[data-seq]"), messages));
        assertEquals("news 1", ann.findElement(By.cssSelector("#messages li[data-seq] span.text")).getText());
        assertFalse(ann.findElement(By.id("earlier")).isDisplayed(), "nothing earlier to show");
    }

    /**
     * The owner of an invite-only room makes an invitation link on the page; another user who opens it and signs in
     * is in the room at once, and the address no longer holds the code; a link pasted into the address of an open
     * page works too; the owner sees the links in force, who made them (one made elsewhere at once, gone from the
     * list when it ends), and ends one of them, then all of them, which the room is told each time; one just made
     * that ends is taken from the panel, which says why. A member is not offered links.
     */
    @Test
    void anInvitationLinkOpensAnInviteOnlyRoom() throws Exception {
        String room = Server.unique("by_invitation");
        String later = Server.unique("later");
        String bobName = Server.unique("bob");
        signIn(ann, Server.unique("ann"));
        join(ann, room);
        String first = inviteOnlyLink(room);
        assertTrue(ann.findElement(By.id("link-note")).getText().startsWith("Whoever has this link joins " + room
                + " until "));
        waitFor(ann, By.xpath("//ol[@id='messages']/li[contains(@class,'system')]/span[@class='text'"
                + " and contains(text(),' made an invitation link')]"));

        bob.get(first);
        bob.findElement(By.id("nickname")).sendKeys(bobName, Keys.ENTER);
        new WebDriverWait(bob, WAIT).until(ExpectedConditions.textToBe(By.id("room-title"), room));
        assertEquals(first.substring(0, first.indexOf('#')), bob.getCurrentUrl(), "the code is off the address");
        assertFalse(bob.findElement(By.id("link-make")).isDisplayed(), "a member makes no links");

        join(ann, later);
        String second = inviteOnlyLink(later);
        bob.get(second); // the same page: only the address's fragment changes
        new WebDriverWait(bob, WAIT).until(ExpectedConditions.textToBe(By.id("room-title"), later));
        assertEquals(2, bob.findElements(By.cssSelector("#room-list button")).size(), "both rooms listed");

        // Another link: both are listed, with who made them; the one bob used is ended alone.
        String third = inviteOnlyLink(later);
        String annName = ann.findElement(By.id("me")).getText();
        String secondCode = second.substring(second.indexOf("code=") + "code=".length());
        By secondItem = By.cssSelector("#link-list li[data-code='" + secondCode + "']");
        new WebDriverWait(ann, WAIT).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#link-list li"), 2));
        screenshot(ann, "links");
        assertTrue(ann.findElement(secondItem).getText().startsWith(secondCode.substring(0, 6) + "… by " + annName
                + ", until "), ann.findElement(secondItem).getText());
        click(ann, By.cssSelector("#link-list li[data-code='" + secondCode + "'] button"));
        new WebDriverWait(ann, WAIT).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#link-list li"), 1));
        assertEquals(third, ann.findElement(By.id("link-url")).getAttribute("value"), "the one made last stays shown");
        waitFor(bob, By.xpath("//ol[@id='messages']/li[contains(@class,'system')]/span[@class='text'"
                + " and contains(text(),' removed an invitation link')]"));
        String thirdCode = third.substring(third.indexOf("code=") + "code=".length());
        try (WsClient cy = WsClient.hello(Server.ws(), Server.guest(Server.unique("cy")).getString("token"))) {
            cy.send(WsClient.frame("join").add("ref", "ended").add("room", later).add("code", secondCode));
            assertEquals("forbidden", cy.reply("ended", "error").getString("code"), "the ended link");
            cy.send(WsClient.frame("join").add("ref", "standing").add("room", later).add("code", thirdCode));
            cy.reply("standing", "joined");
        }
        // A link made elsewhere (another device of ann's here, or another moderator) shows in her open list at once,
        // and leaves it when it ends: one of a minute, on a page whose clock is 45 seconds ahead, some 15 s later (ann
        // sent nothing here: no receipt put the page's clock right).
        ((JavascriptExecutor) ann).executeScript(clockAhead(Duration.ofSeconds(45)));
        String minutes;
        try (WsClient annsPhone = WsClient.hello(Server.ws(), savedToken(ann))) {
            annsPhone.send(WsClient.frame("link").add("ref", "l").add("room", later).add("minutes", 1));
            minutes = annsPhone.reply("l", "link").getString("code");
        }
        By minutesItem = By.cssSelector("#link-list li[data-code='" + minutes + "']");
        waitFor(ann, minutesItem);
        new WebDriverWait(ann, WAIT.multipliedBy(2)).withMessage("the minute's link ends")
                .until(ExpectedConditions.numberOfElementsToBe(minutesItem, 0));
        assertEquals(List.of(thirdCode), ann.findElements(By.cssSelector("#link-list li")).stream()
                .map(item -> item.getAttribute("data-code")).toList(), "the day's link stays listed");
        assertEquals(third, ann.findElement(By.id("link-url")).getAttribute("value"), "and shown");

        click(ann, By.id("link-remove"));
        new WebDriverWait(ann, WAIT).until(ExpectedConditions.textToBe(By.id("link-note"),
                "No invitation link of " + later + " works any more."));
        assertEquals("", ann.findElement(By.id("link-url")).getAttribute("value"));
        assertEquals(0, ann.findElements(By.cssSelector("#link-list li")).size());
        waitFor(bob, By.xpath("//ol[@id='messages']/li[contains(@class,'system')]/span[@class='text'"
                + " and contains(text(),\" removed the room's invitation links\")]"));

        // A link just made (for a day) on a page whose clock is now all but 15 s of a day ahead: when it ends, its
        // address goes from the panel, which says why.
        ((JavascriptExecutor) ann).executeScript(clockAhead(Duration.ofDays(1).minusSeconds(15 + 45)));
        click(ann, By.id("link-make"));
        waitFor(ann, By.cssSelector("#link-list li"));
        new WebDriverWait(ann, WAIT.multipliedBy(2)).until(ExpectedConditions.textToBe(By.id("link-note"),
                "That link has expired."));
        assertEquals("", ann.findElement(By.id("link-url")).getAttribute("value"));
        assertEquals(0, ann.findElements(By.cssSelector("#link-list li")).size());

        click(ann, By.id("link-close"));
        assertFalse(ann.findElement(By.id("link-panel")).isDisplayed());
        assertEquals("link-make", ann.switchTo().activeElement().getAttribute("id"),
                "the keyboard goes on from the button that opened the panel");
    }

    /** ann makes the room invite-only (through a connection of her own: the page has no control for it) and a link. */
    private String inviteOnlyLink(String room) {
        String token = (String) ((JavascriptExecutor) ann).executeScript(
                "return JSON.parse(sessionStorage.getItem('parley.token')).token;");
        try (WsClient owner = WsClient.hello(Server.ws(), token)) {
            owner.send(WsClient.frame("access").add("ref", "a").add("room", room).add("access", "invite"));
            owner.reply("a", "ok");
        }
        String before = ann.findElement(By.id("link-url")).getAttribute("value");
        click(ann, By.id("link-make"));
        String link = new WebDriverWait(ann, WAIT).until(d -> {
            String shown = d.findElement(By.id("link-url")).getAttribute("value"); // the property: set by the page
            return shown.contains("#join=" + room + "&code=") && !shown.equals(before) ? shown : null;
        });
        assertTrue(link.startsWith(ann.getCurrentUrl()), link);
        return link;
    }

    /**
     * More pinned messages than one answer takes (long ones, on the test server's small queue, whose catch-up share
     * holds some fifteen): the owner's "Pinned" lists every one, in order, and after a reload every one's line is
     * marked, the oldest read back too.
     */
    @Test
    void aLongListOfPinnedMessagesIsShownWhole() throws Exception {
        String room = Server.unique("pinboard");
        signIn(ann, Server.unique("ann"));
        join(ann, room);
        int longest = Server.limits().getInt("maxTextChars");
        List<String> texts = IntStream.rangeClosed(1, 24)
                .mapToObj(n -> n + " " + "x".repeat(longest - String.valueOf(n).length() - 1)).toList();
        Server.postAsFastAsReceiptsCome(texts.stream().map(text -> Map.entry(room, text)).toList(), 8);
        try (WsClient annsPhone = WsClient.hello(Server.ws(), savedToken(ann))) {
            answered(annsPhone, IntStream.rangeClosed(1, texts.size()).mapToObj(seq -> WsClient.frame("pin")
                    .add("ref", "pin-" + seq).add("room", room).add("seq", seq).build()).toList(), "ok");
            annsPhone.send(WsClient.frame("pins").add("ref", "p").add("room", room));
            assertTrue(annsPhone.reply("p", "pins").containsKey("before"), "one answer does not take them all");
        }
        click(ann, By.id("pins-toggle"));
        new WebDriverWait(ann, WAIT).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#pin-list li"),
                texts.size()));
        assertEquals(texts, ann.findElements(By.cssSelector("#pin-list li .text")).stream()
                .map(text -> text.getAttribute("textContent")).toList());

        // After a reload there are no pin events to go by: the lines' marks come from the same walk, the oldest
        // lines', read back with "Earlier messages", too.
        ann.navigate().refresh();
        new WebDriverWait(ann, WAIT).until(ExpectedConditions.textToBe(By.id("room-title"), room));
        new WebDriverWait(ann, WAIT).withMessage("the room read back to its first message").until(d -> {
            if (!d.findElements(By.cssSelector("#messages li[data-seq='1']")).isEmpty()) return true;
            WebElement earlier = d.findElement(By.id("earlier"));
            if (earlier.isDisplayed() && earlier.isEnabled()) earlier.click();
            return false;
        });
        List<String> marked = IntStream.rangeClosed(1, texts.size()).mapToObj(seq -> ann.findElement(
                By.cssSelector("#messages li[data-seq='" + seq + "']")).getAttribute("class").contains("pinned")
                ? "pinned" : "seq " + seq + " unmarked").toList();
        assertEquals(Collections.nCopies(texts.size(), "pinned"), marked);
    }

    /**
     * The room's owner pins a message: the conversation says so and marks it (after a reload too), and every member
     * finds it under "Pinned", where the owner unpins it again; a member is offered neither.
     */
    @Test
    void aPinnedMessageIsListedForEveryMemberUntilTheOwnerUnpinsIt() throws Exception {
        String room = Server.unique("pins_of_a_room_whose_name_is_as_long_as_names_may_be"); // 61 characters, one word
        signIn(ann, Server.unique("ann"));
        signIn(bob, Server.unique("bob"));
        join(ann, room);
        join(bob, room);
        bob.findElement(By.id("text")).sendKeys("meet at 12 Main St", Keys.ENTER);
        By bobsLine = By.xpath("//ol[@id='messages']/li[span[@class='text' and text()='meet at 12 Main St']]");
        waitFor(bob, By.cssSelector("#messages li.mine:not(.pending)"));
        assertTrue(bob.findElements(By.cssSelector("#messages [data-action='pin']")).isEmpty(), "not a member's");

        click(ann, By.xpath("//ol[@id='messages']/li[span[@class='text' and text()='meet at 12 Main St']]"
                + "//button[@data-action='pin']"));
        String bobName = bob.findElement(By.id("me")).getText();
        WebElement line = waitFor(bob, By.xpath("//ol[@id='messages']/li[contains(@class,'system')]"
                + "[span[@class='text' and text()='pinned a message']]"));
        assertEquals(bobName + ": meet at 12 Main St", line.findElement(By.className("quote")).getText());
        waitFor(ann, By.xpath("//ol[@id='messages']/li[contains(@class,'pinned')]"
                + "[span[@class='text' and text()='meet at 12 Main St']]//button[@data-action='unpin']"));
        By pinnedLine = By.xpath("//ol[@id='messages']/li[contains(@class,'pinned')]"
                + "[span[@class='text' and text()='meet at 12 Main St']]");
        waitFor(bob, pinnedLine);
        bob.navigate().refresh();
        new WebDriverWait(bob, WAIT).until(ExpectedConditions.textToBe(By.id("room-title"), room));
        waitFor(bob, pinnedLine); // the server's list, asked on opening the room

        click(bob, By.id("pins-toggle"));
        waitFor(bob, By.xpath("//ol[@id='pin-list']/li/span[@class='text' and text()='meet at 12 Main St']"));
        assertTrue(bob.findElements(By.cssSelector("#pin-list [data-action='unpin']")).isEmpty(), "nor unpin");
        screenshot(bob, "pinned");
        click(ann, By.id("pins-toggle"));
        click(ann, By.cssSelector("#pin-list li [data-action='unpin']"));
        waitFor(bob, By.id("pins-empty"));
        assertTrue(bob.findElements(By.cssSelector("#pin-list li")).isEmpty(), "unpinned, it leaves the list");
        waitFor(bob, By.xpath("//ol[@id='messages']/li/span[@class='text' and text()='unpinned a message']"));
        new WebDriverWait(bob, WAIT).until(ExpectedConditions.invisibilityOfElementLocated(pinnedLine));
        assertTrue(bob.findElement(bobsLine).isDisplayed(), "the line stays, not marked");

        // On a phone's width the owner's five buttons wrap below the longest of names, within the screen.
        ann.manage().window().setSize(new Dimension(390, 844));
        long screen = (Long) ((JavascriptExecutor) ann).executeScript("return document.documentElement.clientWidth");
        List<WebElement> buttons = ann.findElements(By.cssSelector(".room-head button")).stream()
                .filter(WebElement::isDisplayed).toList();
        assertEquals(List.of("Pinned", "Search", "Topic", "Leave", "Archive"), buttons.stream()
                .map(WebElement::getText).toList());
        for (WebElement button : buttons) {
            Rectangle at = button.getRect();
            assertTrue(at.getX() + at.getWidth() <= screen, button.getText() + " at " + at.getX() + " of " + screen);
        }
        ann.manage().window().setSize(new Dimension(1100, 700));
    }

    /**
     * A search of the open room lists the messages that hold the text, in any case, the newest 20 first and the
     * rest on asking, each shown in the conversation on asking; a text no message holds says so.
     */
    @Test
    void aSearchListsTheMessagesThatHoldTheTextAndMoreOnAsking() throws Exception {
        String room = Server.unique("finds");
        try (WsClient bob = WsClient.joined(Server.unique("bob"), room)) {
            for (int i = 1; i <= 21; i++) {
                bob.send(WsClient.send("s" + i, room, "lunch plan " + i, "lunch-" + i));
                bob.reply("s" + i, "receipt");
            }
            bob.send(WsClient.send("d", room, "dinner instead", "dinner"));
            bob.reply("d", "receipt");
        }
        // Sixty more, from two people (each within the burst of frames a connection may send): the first lunch
        // plans are older than the page the conversation opens with.
        for (String filler : List.of("carol", "dan")) {
            try (WsClient talker = WsClient.joined(Server.unique(filler), room)) {
                for (int i = 1; i <= 30; i++) {
                    talker.send(WsClient.send("f" + i, room, "more talk " + i, filler + "-" + i));
                    talker.reply("f" + i, "receipt");
                }
            }
        }
        signIn(ann, Server.unique("ann"));
        join(ann, room);
        click(ann, By.id("search-toggle"));
        waitFor(ann, By.id("search-text")).sendKeys("LUNCH", Keys.ENTER);
        By found = By.cssSelector("#search-results li .text");
        new WebDriverWait(ann, WAIT).until(d -> d.findElements(found).size() == 20
                && d.findElement(By.id("search-more")).isDisplayed());
        assertEquals(IntStream.rangeClosed(2, 21).mapToObj(i -> "lunch plan " + i).toList(), textsOf(ann, found));
        screenshot(ann, "search");
        click(ann, By.id("search-more"));
        new WebDriverWait(ann, WAIT).until(d -> d.findElements(found).size() == 21);
        assertEquals("lunch plan 1", textsOf(ann, found).get(0), "the earlier ones above");
        assertFalse(ann.findElement(By.id("search-more")).isDisplayed(), "nothing more to search");

        // Shown in the conversation: the earlier messages are loaded down to it, and it is marked, in view.
        assertTrue(ann.findElements(By.cssSelector("#messages li[data-seq='2']")).isEmpty(), "not loaded at first");
        click(ann, By.xpath("//ol[@id='search-results']/li[span[@class='text' and text()='lunch plan 2']]"
                + "//button[@data-action='show']"));
        WebElement sought = waitFor(ann, By.cssSelector("#messages li.sought[data-seq='2']"));
        assertEquals("lunch plan 2", sought.findElement(By.className("text")).getText());
        new WebDriverWait(ann, WAIT).until(d -> (Boolean) ((JavascriptExecutor) d).executeScript("""
                const line = arguments[0].getBoundingClientRect();
                const list = document.getElementById('messages').getBoundingClientRect();
                return line.top >= list.top && line.bottom <= list.bottom;""", sought));
        assertEquals(List.of("lunch plan 1", "lunch plan 2", "lunch plan 3"), textsOf(ann,
                By.cssSelector("#messages li[data-seq='1'] .text, #messages li[data-seq='2'] .text,"
                        + " #messages li[data-seq='3'] .text")), "the conversation whole down to it");

        WebElement box = ann.findElement(By.id("search-text"));
        box.clear();
        box.sendKeys("breakfast", Keys.ENTER);
        new WebDriverWait(ann, WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("search-empty")));
        assertEquals("Nothing found.", ann.findElement(By.id("search-empty")).getText());
        assertTrue(ann.findElements(found).isEmpty());
    }

    private static List<String> textsOf(WebDriver driver, By by) {
        return driver.findElements(by).stream().map(WebElement::getText).toList();
    }

    /**
     * Someone looking for a room opens the directory and types the start of its name, in any case: the list
     * narrows to it, with its members and topic, and a click joins it. A start no room's name has finds nothing,
     * and says so.
     */
    @Test
    void aRoomFoundInTheDirectoryIsJoinedWithAClick() throws Exception {
        String room = Server.unique("Found");
        try (WsClient bob = WsClient.joined(Server.unique("bob"), room)) {
            bob.send(WsClient.frame("topic").add("ref", "t").add("room", room).add("text", "Lost and found"));
            bob.reply("t", "ok");
            signIn(ann, Server.unique("ann"));
            click(ann, By.id("directory-toggle"));
            WebElement box = ann.findElement(By.id("room-name"));
            box.sendKeys(Server.unique("nowhere"));
            new WebDriverWait(ann, WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("directory-empty")));
            assertEquals("No room found.", ann.findElement(By.id("directory-empty")).getText());
            box.clear();
            box.sendKeys(room.toLowerCase(Locale.ROOT));
            // The list is drawn anew for each pause in the typing: an item seen may be replaced by its twin.
            By listed = By.cssSelector("#directory-list button");
            new WebDriverWait(ann, WAIT).ignoring(StaleElementReferenceException.class).until(d ->
                    d.findElements(listed).size() == 1
                            && (room + " · 1 member\nLost and found").equals(d.findElement(listed).getText()));
            screenshot(ann, "directory");
            click(ann, listed);
            new WebDriverWait(ann, WAIT).until(ExpectedConditions.textToBe(By.id("room-title"), room));
            waitFor(ann, roomButton(room));
        }
    }

    /** More rooms than a page of the directory: the first 20 show, and "More rooms" brings the rest after them. */
    @Test
    void theDirectoryShowsTheRoomsAfterTheFirstPageOnAsking() throws Exception {
        String prefix = Server.unique("many");
        List<String> rooms = IntStream.range(0, 21).mapToObj(i -> String.format("%s-%02d", prefix, i)).toList();
        try (WsClient olga = WsClient.hello(Server.ws(), Server.guest(Server.unique("olga")).getString("token"))) {
            for (String room : rooms) {
                olga.send(WsClient.frame("join").add("ref", room).add("room", room));
                olga.reply(room, "joined");
            }
        }
        signIn(ann, Server.unique("ann"));
        ann.findElement(By.id("room-name")).sendKeys(prefix);
        click(ann, By.id("directory-toggle"));
        By listed = By.cssSelector("#directory-list button");
        new WebDriverWait(ann, WAIT).until(d -> d.findElements(listed).size() == 20
                && d.findElement(By.id("directory-more")).isDisplayed());
        click(ann, By.id("directory-more"));
        new WebDriverWait(ann, WAIT).until(d -> d.findElements(listed).size() == 21);
        assertEquals(rooms.stream().map(room -> room + " · 1 member").toList(),
                ann.findElements(listed).stream().map(WebElement::getText).toList());
        assertFalse(ann.findElement(By.id("directory-more")).isDisplayed(), "nothing more to ask for");
    }

    /** A room asked for, and another one picked before the answer came: the first is joined, and listed too. */
    @Test
    void aRoomJoinedWhileAnotherIsPickedIsListedAllTheSame() throws Exception {
        String first = Server.unique("first");
        String second = Server.unique("second");
        signIn(ann, Server.unique("ann"));
        join(ann, first);
        waitFor(ann, roomButton(first));
        ((JavascriptExecutor) ann).executeScript("document.getElementById('room-name').value = arguments[0];"
                + "document.getElementById('join').requestSubmit();"
                + "[...document.querySelectorAll('#room-list button')]"
                + ".find((button) => button.textContent.includes(arguments[1])).click();", second, first);
        waitFor(ann, roomButton(second));
        new WebDriverWait(ann, WAIT).until(ExpectedConditions.textToBe(By.id("room-title"), first));
    }

    /**
     * A network that drops everything without closing anything (one that changed under a laptop, say): the
     * browser would call the socket open for many minutes. The page hears no pong, gives it up and connects
     * again, and what was said meanwhile arrives.
     */
    @Test
    void aConnectionThatStopsAnsweringIsGivenUpAndWhatWasSaidMeanwhileArrives() throws Exception {
        try (CuttableProxy network = annOnANetworkWithBob(Server.unique("stalled"))) {
            network.stall();
            bob.findElement(By.id("text")).sendKeys("said into the silence", Keys.ENTER);
            waitFor(bob, By.cssSelector("#messages li.mine:not(.pending)"));
            waitFor(ann, By.xpath("//ol[@id='messages']/li[span[@class='text' and text()='said into the silence']]"));
            assertEquals("online", ann.findElement(By.id("state")).getText(), "connected again");
        }
    }

    /**
     * A tab left in the background: Chromium wakes its repeating timers once a minute, while the server closes a
     * connection silent for 2 x heartbeat + 5 s (9 s here). The page stays online all the same.
     */
    @Test
    void aTabLeftInTheBackgroundStaysOnline() {
        signIn(ann, Server.unique("ann"));
        join(ann, Server.unique("quiet"));
        watchState(ann);
        // A repeating timer's ticks tell when the tab was throttled; kept where another tab of the site reads them.
        ((JavascriptExecutor) ann).executeScript("""
                const ticks = [];
                setInterval(() => {
                  ticks.push(Date.now());
                  localStorage.setItem('test.ticks', JSON.stringify(ticks));
                }, 1000);""");
        String chat = ann.getWindowHandle();
        ann.switchTo().newWindow(WindowType.TAB);
        ann.get(Server.http("admin.html").toString());

        new WebDriverWait(ann, Duration.ofSeconds(150))
                .withMessage("Chromium never throttled the hidden tab: Browser's throttling flags did not take")
                .until(driver -> longestPause(driver) >= 20_000);
        assertEquals(List.of(), statesBesidesOnline(ann), "the hidden page never left 'online'");
        ann.switchTo().window(chat);
        assertEquals("online", ann.findElement(By.id("state")).getText());
    }

    /**
     * Fifty-one busy rooms, a message a second in each. The page acks every message (or the server sends it
     * again) yet keeps under the frames a second that the server takes from a connection (20 unless configured
     * otherwise): nothing is refused, it stays online, and shows every room's messages as unread.
     */
    @Test
    void aPersonInFiftyBusyRoomsStaysOnline() throws Exception {
        signIn(ann, Server.unique("ann"));
        List<String> busy = IntStream.range(0, 51).mapToObj(i -> Server.unique("busy" + i)).toList();
        try (WsClient annsPhone = WsClient.hello(Server.ws(), savedToken(ann))) {
            answered(annsPhone, joins(busy), "joined");
        }
        new WebDriverWait(ann, WAIT).until(driver -> driver.findElements(By.cssSelector("#room-list li")).size()
                == busy.size());
        watchState(ann);
        double refusedBefore = Server.metric("parley_rate_limited");
        // The senders keep under the server's limit too (they are not what is tested).
        int perSecond = Server.limits().getInt("framesPerSecond");
        assertTrue(perSecond > 17, "the server takes " + perSecond + " frames a second, the senders send 17");

        List<WsClient> senders = new ArrayList<>();
        int rounds = 15;
        try {
            for (int i = 0; i < 3; i++) {
                senders.add(WsClient.hello(Server.ws(), Server.guest(Server.unique("sender")).getString("token")));
                answered(senders.get(i), joins(busy.subList(17 * i, 17 * i + 17)), "joined");
            }
            for (int round = 1; round <= rounds; round++) {
                // Each sender 17 messages a second, under its own limit: one in each of its rooms.
                Set<String> refs = new HashSet<>();
                for (int r = 0; r < 17; r++) {
                    String ref = "r" + round + "-" + r;
                    for (int i = 0; i < 3; i++) {
                        senders.get(i).send(WsClient.send(ref, busy.get(17 * i + r), "round " + round, ref));
                    }
                    refs.add(ref);
                    Server.pause(1000 / 17);
                }
                for (WsClient sender : senders) {
                    sender.replies(refs, "receipt");
                }
            }
            new WebDriverWait(ann, WAIT).until(driver -> driver.findElements(
                    By.cssSelector("#room-list .badge[aria-label='" + rounds + " unread']")).size() == busy.size());
        } finally {
            senders.forEach(WsClient::close);
        }
        assertEquals(List.of(), statesBesidesOnline(ann), "the page never left 'online'");
        assertEquals(refusedBefore, Server.metric("parley_rate_limited"), "no frame refused, acks included");
        // Every message acked (another device is replayed none), none read: ann opened none of the rooms.
        assertEquals(busy.stream().collect(Collectors.toMap(room -> room, room -> rounds)),
                unreadOnAnotherDevice(ann, busy.size()));
    }

    /**
     * Twenty rooms with twice a replay's 500 each, said while the page was offline: back online, it pages them
     * with {@code sync} four rooms at a time and slowly enough that none is turned away for speed (asked as fast
     * as answered, pages passed the server's 20 frames a second: refused pages wait longer each time, acks turned
     * away are lost, and a page refused too often is closed as a flood, 4029), and shows every message as unread.
     */
    @Test
    void aPageBackFromALongAbsencePagesItsRoomsAFewAtATime() throws Exception {
        List<String> busy = IntStream.range(0, 20).mapToObj(i -> Server.unique("away" + i)).toList();
        try (CuttableProxy network = new CuttableProxy(Integer.parseInt(System.getProperty("it.http.port")))) {
            signIn(ann, throughProxy(network), Server.unique("ann"));
            try (WsClient annsPhone = WsClient.hello(Server.ws(), savedToken(ann))) {
                answered(annsPhone, joins(busy), "joined");
            }
            new WebDriverWait(ann, WAIT).until(driver -> driver.findElements(By.cssSelector("#room-list li")).size()
                    == busy.size());
            // Counts the page's sync requests, and how many of them wait for their answer at once.
            ((JavascriptExecutor) ann).executeScript("""
                    const syncs = window.syncs = { waiting: new Set(), most: 0, sent: 0, refused: 0 };
                    window.WebSocket = class extends window.WebSocket {
                      constructor(...args) {
                        super(...args);
                        this.addEventListener('message', (e) => {
                          const frame = JSON.parse(e.data);
                          syncs.waiting.delete(frame.ref);
                          if (frame.code === 'rate_limited') syncs.refused += 1;
                        });
                      }
                      send(data) {
                        const frame = JSON.parse(data);
                        if (frame.type === 'sync') {
                          syncs.waiting.add(frame.ref);
                          syncs.sent += 1;
                          syncs.most = Math.max(syncs.most, syncs.waiting.size);
                        }
                        super.send(data);
                      }
                    };""");
            cut(network, ann);
            List<Map.Entry<String, String>> said = new ArrayList<>();
            busy.forEach(room -> IntStream.rangeClosed(1, 1000).forEach(i -> said.add(Map.entry(room, "said " + i))));
            Server.postAsFastAsReceiptsCome(said, 100);
            network.restore();

            // Offline for as long as the posting took, the client waits up to 30 s between attempts; then some
            // 60 pages come at 8 a second, on a machine that may be busy with much else.
            Duration catchingUp = Duration.ofSeconds(45);
            new WebDriverWait(ann, catchingUp).until(ExpectedConditions.textToBe(By.id("state"), "online"));
            // The badges come with the welcome; the pages follow.
            new WebDriverWait(ann, catchingUp).until(driver -> driver.findElements(
                    By.cssSelector("#room-list .badge[aria-label='1000 unread']")).size() == busy.size());
            new WebDriverWait(ann, catchingUp).withMessage("every room paged").until(driver -> (Boolean)
                    ((JavascriptExecutor) driver).executeScript(
                            "return window.syncs.sent >= arguments[0] && window.syncs.waiting.size === 0;",
                            busy.size()));
            Map<?, ?> syncs = (Map<?, ?>) ((JavascriptExecutor) ann).executeScript(
                    "return { sent: window.syncs.sent, most: window.syncs.most, refused: window.syncs.refused };");
            assertTrue(((Number) syncs.get("sent")).intValue() >= busy.size(), "each room paged: " + syncs);
            assertTrue(((Number) syncs.get("most")).intValue() <= 4, "four at a time at most: " + syncs);
            assertEquals(0, ((Number) syncs.get("refused")).intValue(), "none turned away for speed: " + syncs);
        }
    }

    /**
     * One user's connections are limited (10 on a node): a page past that says why it is not connected, and
     * comes online once another connection of the user closes. Signing in again meanwhile leaves one client.
     */
    @Test
    void aPagePastTheUsersConnectionLimitSaysWhyAndComesOnlineWhenOneCloses() {
        String nickname = Server.unique("ann");
        signIn(ann, nickname);
        String login = (String) ((JavascriptExecutor) ann).executeScript(
                "return sessionStorage.getItem('parley.token');");
        List<WsClient> others = new ArrayList<>();
        List<WsClient.Pinging> pings = new ArrayList<>();
        try {
            for (int i = 0; i < 9; i++) {
                others.add(WsClient.hello(Server.ws(), savedToken(ann)));
                pings.add(others.get(i).pingEverySecond());
            }
            // Ann's eleventh: the same sign-in in another browser.
            bob.get(Server.http("").toString());
            ((JavascriptExecutor) bob).executeScript("sessionStorage.setItem('parley.token', arguments[0]);", login);
            bob.navigate().refresh();
            String turnedAway = "Not connected: more than 10 connections for one user. Trying again…";
            new WebDriverWait(bob, WAIT).until(ExpectedConditions.textToBe(By.id("login-error"), turnedAway));
            assertEquals("online", ann.findElement(By.id("state")).getText(), "the ten already open stay");
            // The person signs in again meanwhile, as the same guest: turned away again.
            bob.findElement(By.id("nickname")).sendKeys(nickname, Keys.ENTER);
            new WebDriverWait(bob, WAIT).until(ExpectedConditions.textToBe(By.id("login-error"), turnedAway));

            pings.remove(0).close();
            others.remove(0).close();
            awaitState(bob, "online");
            assertFalse(bob.findElement(By.id("login")).isDisplayed(), "the sign-in form gives way to the chat");
            // One client: the page stopped the one it had. The next place freed is free for another device.
            watchState(bob);
            pings.remove(0).close();
            others.remove(0).close();
            assertConnects(savedToken(ann));
            assertEquals(List.of(), statesBesidesOnline(bob), "the page stayed online, with nothing else trying");
        } finally {
            pings.forEach(WsClient.Pinging::close);
            others.forEach(WsClient::close);
        }
    }

    /** A new connection of the user is welcomed once the server has let go of one just closed (it aborts). */
    private static void assertConnects(String token) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String answer;
        do {
            try (WsClient phone = WsClient.connect(Server.ws())) {
                phone.send(WsClient.frame("hello").add("ref", "h").add("token", token));
                answer = phone.await(null, f -> "h".equals(f.getString("ref", null))).getString("type");
            }
            if (!answer.equals("welcome")) {
                Server.pause(100);
            }
        } while (!answer.equals("welcome") && System.nanoTime() < deadline);
        assertEquals("welcome", answer, "no place for another connection of the user within " + WAIT);
    }

    private static List<JsonObject> joins(List<String> rooms) {
        return rooms.stream().map(room -> WsClient.frame("join").add("ref", room).add("room", room).build())
                .toList();
    }

    /** Sends the requests, paced under the connection's limit, and waits until each got a reply of the type. */
    private static void answered(WsClient client, List<JsonObject> requests, String type) {
        Set<String> waiting = new HashSet<>();
        for (JsonObject request : requests) {
            client.send(request);
            waiting.add(request.getString("ref"));
            Server.pause(60);
        }
        client.replies(waiting, type);
    }

    /** From now on, keeps every state the page shows where any tab of the site can read it. */
    private static void watchState(WebDriver driver) {
        ((JavascriptExecutor) driver).executeScript("""
                const state = document.getElementById('state');
                const states = [];
                new MutationObserver(() => {
                  states.push(state.textContent);
                  localStorage.setItem('test.states', JSON.stringify(states));
                }).observe(state, { childList: true, characterData: true, subtree: true });""");
    }

    /** What the page showed besides 'online' since {@link #watchState}. */
    private static Object statesBesidesOnline(WebDriver driver) {
        return ((JavascriptExecutor) driver).executeScript("""
                return JSON.parse(localStorage.getItem('test.states') || '[]').filter((shown) => shown !== 'online');
                """);
    }

    /** The longest time between two ticks of the hidden tab's repeating timer, in milliseconds. */
    private static long longestPause(WebDriver driver) {
        Object ticks = ((JavascriptExecutor) driver).executeScript("""
                const ticks = JSON.parse(localStorage.getItem('test.ticks') || '[]');
                return Math.max(0, ...ticks.slice(1).map((tick, i) => tick - ticks[i]));""");
        return ((Number) ticks).longValue();
    }

    @Test
    void aMessageTypedOfflineIsDeliveredOnceWhenTheConnectionComesBack() throws Exception {
        String room = Server.unique("flaky");
        try (CuttableProxy network = annOnANetworkWithBob(room)) {
            cut(network, ann);
            WebElement text = ann.findElement(By.id("text"));
            text.sendKeys("typed in a tunnel", Keys.ENTER);
            WebElement pending = waitFor(ann, By.cssSelector("#messages li.mine.pending"));
            assertEquals("typed in a tunnel", pending.findElement(By.className("text")).getText());
            assertTrue(pending.findElements(By.cssSelector(".actions button")).isEmpty(),
                    "nothing to edit, delete or answer before it is stored");
            screenshot(ann, "offline-pending");

            restore(network, ann);
            WebElement received = waitFor(bob, By.xpath(
                "//ol[@id='messages']/li[@data-seq and not(contains(@class,'mine'))]"));
            assertEquals("typed in a tunnel", received.findElement(By.className("text")).getText());
            WebElement stored = waitFor(ann, By.cssSelector("#messages li.mine:not(.pending)"));
            assertEquals(List.of("reply", "react", "edit", "delete", "pin"), stored.findElements(By.cssSelector(
                    ".actions button")).stream().map(button -> button.getAttribute("data-action")).toList());

            // The outbox outlives the page: typed offline (an answer), then the page is reloaded while still
            // offline (the reload fails, the page's memory is gone), and it is sent when the page is back.
            String appUrl = ann.getCurrentUrl();
            cut(network, ann);
            stored.findElement(By.cssSelector("[data-action='reply']")).click();
            ann.findElement(By.id("text")).sendKeys("typed before a reload", Keys.ENTER);
            waitFor(ann, By.cssSelector("#messages li.mine.pending"));
            ann.navigate().refresh();
            network.restore();
            ann.get(appUrl);
            awaitState(ann, "online");
            waitFor(bob, By.xpath("//ol[@id='messages']/li[span[@class='text' and text()='typed before a reload']]"));
            WebElement answer = waitFor(ann, By.xpath(
                    "//ol[@id='messages']/li[span[@class='text' and text()='typed before a reload']]"));
            assertTrue(answer.findElement(By.className("quote")).getText().endsWith(": typed in a tunnel"),
                    "the answer shows what it answers");

            // Once each: a later message arrives after them, and nothing in between.
            try (WsClient carol = WsClient.joined(Server.unique("carol"), room)) {
                carol.send(WsClient.send("s", room, "after the tunnel", "c-1"));
                carol.reply("s", "receipt");
            }
            List<String> expected = List.of("typed in a tunnel", "typed before a reload", "after the tunnel");
            for (WebDriver reader : new WebDriver[] {ann, bob}) {
                waitFor(reader, By.xpath("//ol[@id='messages']/li[span[@class='text' and text()='after the tunnel']]"));
                assertEquals(expected, reader.findElements(By.cssSelector("#messages li .text")).stream()
                        .map(WebElement::getText).toList());
            }
            assertTrue(ann.findElements(By.cssSelector("#messages li.pending")).isEmpty(), "nothing left pending");
        }
    }

    /**
     * A send the server refuses as {@code rate_limited} (this client is too fast, or the server is busy storing) is
     * not lost and does not wait for a reconnect: the page sends it again on the open connection, a little later.
     */
    @Test
    void messagesRefusedForSpeedAreSentAgainOnTheSameConnection() throws Exception {
        String room = Server.unique("hasty");
        signIn(ann, Server.unique("ann"));
        signIn(bob, Server.unique("bob"));
        join(ann, room);
        join(bob, room);
        String admin = Server.adminToken();
        try (AutoCloseable restoring = Server.restoringLimits(admin)) {
            // Limits apply to connections opened after the change: ann's page connects again under them.
            assertEquals(200, Server.put("api/admin/limits", admin, "{\"framesPerSecond\":2,\"frameBurst\":6}")
                    .statusCode());
            ann.navigate().refresh();
            awaitState(ann, "online");
            new WebDriverWait(ann, WAIT).until(ExpectedConditions.textToBe(By.id("room-title"), room));
            double refusedBefore = Server.metric("parley_rate_limited");
            double openedBefore = Server.metric("parley_connections_opened");

            List<String> typed = new ArrayList<>();
            WebElement text = ann.findElement(By.id("text"));
            for (int i = 1; i <= 9; i++) {
                typed.add("hasty " + i);
                text.sendKeys("hasty " + i, Keys.ENTER);
            }
            new WebDriverWait(ann, WAIT).until(driver -> bob.findElements(By.cssSelector("#messages li .text"))
                    .size() == typed.size());
            assertEquals(Set.copyOf(typed), bob.findElements(By.cssSelector("#messages li .text")).stream()
                    .map(WebElement::getText).collect(Collectors.toSet()), "each of them, once");
            new WebDriverWait(ann, WAIT).until(driver -> driver.findElements(By.cssSelector("#messages li.pending"))
                    .isEmpty());
            assertEquals(typed.size(), bob.findElements(By.cssSelector("#messages li .text")).size(),
                    "none twice, once everything is receipted");
            assertTrue(Server.metric("parley_rate_limited") > refusedBefore, "some were refused at first");
            assertEquals(openedBefore, Server.metric("parley_connections_opened"), "and sent again without "
                    + "reconnecting");
        }
    }

    /**
     * The box takes a text as long as the server allows now (the operator may raise the limit past 4,000), and a
     * text past it comes back into the box with the reason, to be shortened and sent.
     */
    @Test
    void aTextPastTheLimitComesBackToBeShortened() throws Exception {
        String admin = Server.adminToken();
        try (AutoCloseable restoring = Server.restoringLimits(admin)) {
            assertEquals(200, Server.put("api/admin/limits", admin, "{\"maxTextChars\":4500}").statusCode());
            signIn(ann, Server.unique("ann"));
            join(ann, Server.unique("long"));
            String longest = "x".repeat(4_500);
            WebElement text = ann.findElement(By.id("text"));
            text.sendKeys(longest + "y", Keys.ENTER);
            new WebDriverWait(ann, WAIT).until(ExpectedConditions.textToBe(By.id("chat-error"),
                    "text is longer than 4500 characters"));
            assertEquals(longest + "y", text.getAttribute("value"), "the text is back, not lost");
            assertTrue(ann.findElements(By.cssSelector("#messages li.mine")).isEmpty(), "nothing shown as sent");

            text.sendKeys(Keys.BACK_SPACE, Keys.ENTER);
            WebElement sent = waitFor(ann, By.cssSelector("#messages li.mine:not(.pending) .text"));
            assertEquals(longest, sent.getText());

            // Past the box's own bound (put there by a script): more than the server takes in a frame, which it
            // would close the connection for. Refused on the page, and the connection stays.
            String huge = "x".repeat(70_000);
            ((JavascriptExecutor) ann).executeScript("arguments[0].value = arguments[1];", text, huge);
            text.sendKeys(Keys.ENTER);
            new WebDriverWait(ann, WAIT).until(ExpectedConditions.textToBe(By.id("chat-error"),
                    "the message is too long to send (more than 65536 bytes)"));
            assertEquals(huge.length(), text.getAttribute("value").length(), "the text is back");
            assertEquals("online", ann.findElement(By.id("state")).getText());
            assertEquals(1, ann.findElements(By.cssSelector("#messages li.mine")).size(), "nothing more sent");
        }
    }

    @Test
    void anAccountHolderJoinsAPasswordRoomAndSeesABan() throws Exception {
        String room = Server.unique("vault");
        String user = Server.unique("carol");
        try (WsClient owner = WsClient.hello(Server.ws(), Server.guest(Server.unique("olga")).getString("token"))) {
            owner.send(WsClient.frame("join").add("ref", "j").add("room", room));
            owner.reply("j", "joined");
            owner.send(WsClient.frame("access").add("ref", "a").add("room", room).add("access", "password")
                    .add("password", "open sesame"));
            owner.reply("a", "ok");

            signInWithAccount(ann, user, "correct horse", "register");

            ann.findElement(By.id("room-name")).sendKeys(room);
            ann.findElement(By.id("room-password")).sendKeys("wrong", Keys.ENTER);
            new WebDriverWait(ann, WAIT).until(ExpectedConditions.textToBe(By.id("chat-error"),
                    room + " needs its password"));
            ann.findElement(By.id("room-password")).sendKeys(Keys.chord(Keys.CONTROL, "a"), "open sesame",
                    Keys.ENTER);
            new WebDriverWait(ann, WAIT).until(ExpectedConditions.textToBe(By.id("room-title"), room));

            owner.send(WsClient.frame("ban").add("ref", "b").add("room", room).add("user", user));
            owner.reply("b", "ok");
            new WebDriverWait(ann, WAIT).until(ExpectedConditions.textToBe(By.id("chat-error"),
                    "You were banned from " + room + "."));
            assertTrue(ann.findElements(By.cssSelector("#room-list button")).isEmpty(), "the room left the list");
            assertFalse(ann.findElement(By.id("composer")).isDisplayed());
            screenshot(ann, "banned");
        }
    }

    /**
     * A person sets a new password on one device: that page goes on, signed in with it, and the other device is
     * asked for the new one.
     */
    @Test
    void aNewPasswordSetOnOneDeviceSignsOutTheOther() throws Exception {
        String user = Server.unique("erin");
        signInWithAccount(ann, user, "correct horse", "register");
        signInWithAccount(bob, user, "correct horse", "login");
        String before = savedToken(ann);

        ann.findElement(By.id("password-toggle")).click();
        ann.findElement(By.id("current-password")).sendKeys("correct horsE");
        ann.findElement(By.id("new-password")).sendKeys("battery staple", Keys.ENTER);
        new WebDriverWait(ann, WAIT).until(ExpectedConditions.textToBe(By.id("chat-error"),
                "Password not changed: wrong user name or password"));
        assertEquals(before, savedToken(ann), "a wrong password changes nothing");
        screenshot(ann, "password-not-changed");

        ann.findElement(By.id("current-password")).sendKeys("correct horse", Keys.ENTER);
        new WebDriverWait(ann, WAIT).until(ExpectedConditions.textToBe(By.id("chat-error"),
                "Your password is changed, and your other devices are signed out."));
        assertEquals("online", ann.findElement(By.id("state")).getText());
        assertNotEquals(before, savedToken(ann), "this page goes on with a token of the new password");
        assertFalse(ann.findElement(By.id("password-form")).isDisplayed());

        new WebDriverWait(bob, WAIT).until(ExpectedConditions.textToBe(By.id("login-error"),
                "Your password was changed: enter the new one to go on."));
        assertFalse(bob.findElement(By.id("chat")).isDisplayed());
        screenshot(bob, "signed-out-by-a-new-password");
        bob.findElement(By.id("password")).sendKeys("battery staple");
        bob.findElement(By.cssSelector("#account button[value='login']")).click();
        awaitState(bob, "online");
        assertEquals(user, bob.findElement(By.id("me")).getText());
    }

    /**
     * A person deletes their account on one device, given its password: both of their pages sign out saying so,
     * their room no longer lists them, and the name signs in no more, nor is it registered again.
     */
    @Test
    void anAccountDeletedOnOneDeviceSignsOutEverywhere() throws Exception {
        String user = Server.unique("fay");
        String room = Server.unique("farewell");
        try (WsClient olga = WsClient.joined(Server.unique("olga"), room)) {
            signInWithAccount(ann, user, "correct horse", "register");
            signInWithAccount(bob, user, "correct horse", "login");
            join(ann, room);
            ann.findElement(By.id("password-toggle")).click();
            click(ann, By.id("delete-account"));
            ann.findElement(By.id("current-password")).sendKeys("correct horsE");
            click(ann, By.id("delete-for-good"));
            new WebDriverWait(ann, WAIT).until(ExpectedConditions.textToBe(By.id("chat-error"),
                    "Account not deleted: wrong user name or password"));
            assertEquals("online", bob.findElement(By.id("state")).getText(), "a wrong password changes nothing");

            ann.findElement(By.id("current-password")).sendKeys("correct horse");
            click(ann, By.id("delete-for-good"));
            for (WebDriver page : List.of(ann, bob)) {
                new WebDriverWait(page, WAIT).until(ExpectedConditions.textToBe(By.id("login-error"),
                        "Your account was deleted."));
                assertFalse(page.findElement(By.id("chat")).isDisplayed());
            }
            screenshot(bob, "account-deleted");
            olga.send(WsClient.frame("members").add("ref", "m").add("room", room));
            assertEquals(List.of(olga.user()), olga.reply("m", "members").getJsonArray("items")
                    .getValuesAs(JsonObject.class).stream().map(member -> member.getString("user")).toList());
        }
        for (String action : List.of("login", "register")) {
            ann.findElement(By.id("username")).sendKeys(user);
            ann.findElement(By.id("password")).sendKeys("correct horse");
            ann.findElement(By.cssSelector("#account button[value='" + action + "']")).click();
            new WebDriverWait(ann, WAIT).until(ExpectedConditions.textToBe(By.id("login-error"),
                    action.equals("login") ? "wrong user name or password" : "that user name is taken"));
            ann.findElement(By.id("username")).clear();
        }

        // Somebody else signs in at that page: nothing of the deleted account's room is left on it.
        String carl = Server.unique("carl");
        ann.findElement(By.id("nickname")).sendKeys(carl, Keys.ENTER);
        new WebDriverWait(ann, WAIT).until(ExpectedConditions.textToBe(By.id("me"), "guest-" + carl));
        waitFor(ann, By.id("chat")); // shown once the welcome is taken
        assertEquals("Pick a room", ann.findElement(By.id("room-title")).getText());
        assertTrue(ann.findElements(By.cssSelector("#online-list li, #room-list li")).isEmpty());
        assertFalse(ann.findElement(By.id("members-toggle")).isDisplayed(), "no room's members to list");
    }

    /**
     * A message refused (its sender muted meanwhile) when its sender has opened another room by then: it waits in
     * its room's box, to be changed and sent, as what was typed there would.
     */
    @Test
    void aMessageRefusedAfterAnotherRoomWasOpenedWaitsInItsRoomsBox() throws Exception {
        String room = Server.unique("hush");
        String other = Server.unique("elsewhere");
        String nickname = Server.unique("ann");
        try (WsClient owner = WsClient.joined(Server.unique("olga"), room)) {
            signIn(ann, nickname);
            join(ann, other);
            join(ann, room);
            owner.send(WsClient.frame("mute").add("ref", "m").add("room", room).add("user", "guest-" + nickname)
                    .add("minutes", 10));
            owner.reply("m", "ok");
            // The page's sends are held until the test lets them go: a slow network, past the room's switch.
            ((JavascriptExecutor) ann).executeScript("""
                    const send = WebSocket.prototype.send;
                    const held = [];
                    WebSocket.prototype.send = function (data) {
                      if (JSON.parse(data).type !== 'send' || window.letGo) return send.call(this, data);
                      held.push(() => send.call(this, data));
                    };
                    window.release = () => { window.letGo = true; held.forEach((go) => go()); };""");
            ann.findElement(By.id("text")).sendKeys("can you hear me", Keys.ENTER);
            waitFor(ann, By.cssSelector("#messages li.mine.pending"));
            click(ann, roomButton(other));
            new WebDriverWait(ann, WAIT).until(ExpectedConditions.textToBe(By.id("room-title"), other));
            ((JavascriptExecutor) ann).executeScript("window.release();");
            new WebDriverWait(ann, WAIT).until(ExpectedConditions.textMatches(By.id("chat-error"),
                    Pattern.compile("muted")));
            assertEquals("", ann.findElement(By.id("text")).getAttribute("value"), "not in the other room's box");

            click(ann, roomButton(room));
            new WebDriverWait(ann, WAIT).until(ExpectedConditions.textToBe(By.id("room-title"), room));
            assertEquals("can you hear me", ann.findElement(By.id("text")).getAttribute("value"));
            assertTrue(ann.findElements(By.cssSelector("#messages li.mine")).isEmpty(), "nothing shown as sent");
        }
    }

    /** Typed offline, then the page reloaded, and the person muted meanwhile: the page says it was not sent. */
    @Test
    void aMessageTypedBeforeAReloadAndRefusedAfterItIsShownAsNotSent() throws Exception {
        String room = Server.unique("hush");
        String nickname = Server.unique("ann");
        try (WsClient owner = WsClient.joined(Server.unique("olga"), room);
             CuttableProxy network = new CuttableProxy(Integer.parseInt(System.getProperty("it.http.port")))) {
            signIn(ann, throughProxy(network), nickname);
            join(ann, room);
            String appUrl = ann.getCurrentUrl();

            cut(network, ann);
            ann.findElement(By.id("text")).sendKeys("said while muted", Keys.ENTER);
            waitFor(ann, By.cssSelector("#messages li.mine.pending"));
            ann.navigate().refresh();
            owner.send(WsClient.frame("mute").add("ref", "m").add("room", room).add("user", "guest-" + nickname)
                    .add("minutes", 10));
            owner.reply("m", "ok");
            network.restore();
            ann.get(appUrl);

            new WebDriverWait(ann, WAIT).until(ExpectedConditions.textMatches(By.id("chat-error"),
                    Pattern.compile("^Not sent: .*muted.*")));
            assertTrue(ann.findElements(By.cssSelector("#messages li.pending")).isEmpty(), "nothing left pending");
        }
    }

    /** One person on a phone and a laptop: the rooms joined and left on one are listed on the other, now or later. */
    @Test
    void onePersonOnTwoDevicesHasTheSameRoomsOnBoth() throws Exception {
        String nickname = Server.unique("ann");
        String first = Server.unique("first");
        String second = Server.unique("second");
        WebDriver phone = ann;
        WebDriver laptop = bob;
        try (CuttableProxy network = new CuttableProxy(Integer.parseInt(System.getProperty("it.http.port")))) {
            signIn(laptop, throughProxy(network), nickname);
            signIn(phone, nickname);

            join(phone, first);
            phone.findElement(By.id("text")).sendKeys("written on the phone", Keys.ENTER);
            waitFor(phone, By.cssSelector("#messages li.mine:not(.pending)"));
            waitFor(laptop, roomButton(first)).click();
            new WebDriverWait(laptop, WAIT).until(ExpectedConditions.textToBe(By.id("room-title"), first));
            waitFor(laptop, By.xpath("//ol[@id='messages']/li[span[@class='text' and text()='written on the phone']]"));

            // Left with the owner's links panel open on the phone and a reply begun on the laptop: nothing of the
            // room is left to see or press on either.
            click(phone, By.id("link-make"));
            waitFor(phone, By.cssSelector("#link-list li"));
            click(laptop, By.cssSelector("#messages li.mine [data-action='reply']"));
            waitFor(laptop, By.id("reply-bar"));
            phone.findElement(By.id("leave")).click();
            for (WebDriver device : List.of(phone, laptop)) {
                new WebDriverWait(device, WAIT).until(ExpectedConditions.textToBe(By.id("room-title"), "Pick a room"));
                new WebDriverWait(device, WAIT)
                        .until(ExpectedConditions.invisibilityOfElementLocated(roomButton(first)));
                for (String left : List.of("composer", "reply-bar", "link-make", "link-panel", "members-toggle")) {
                    assertFalse(device.findElement(By.id(left)).isDisplayed(), left);
                }
            }
            assertEquals("room-name", phone.switchTo().activeElement().getAttribute("id"),
                    "the keyboard goes on from the box to join a room, not from the top of the page");

            // Joined while the laptop is cut off: its page lists the room once it is back.
            cut(network, laptop);
            join(phone, second);
            restore(network, laptop);
            waitFor(laptop, roomButton(second));
            assertEquals(List.of(second), laptop.findElements(By.cssSelector("#room-list button span")).stream()
                    .map(WebElement::getText).toList());
        }
    }

    /**
     * A tip the connection dropped before it went out is given once the page is back, with no second click; one
     * whose receipt the connection dropped is sent again with its clientMsgId and given once all the same.
     */
    @Test
    void aTipTheConnectionDroppedIsGivenOnceItIsBack() {
        String room = Server.unique("tips");
        signIn(ann, Server.unique("ann"));
        signIn(bob, Server.unique("bob"));
        join(ann, room);
        join(bob, room);
        String bobName = bob.findElement(By.id("me")).getText();
        // The page's first tip drops its connection instead of going out, its second right after going out (before
        // its receipt); 4000: the client reconnects. Each tip frame sent is counted by its clientMsgId.
        ((JavascriptExecutor) ann).executeScript("""
                const send = WebSocket.prototype.send;
                window.tips = {};
                WebSocket.prototype.send = function (data) {
                  const frame = JSON.parse(data);
                  if (frame.type !== 'tip') return send.call(this, data);
                  const first = Object.keys(window.tips).length === 0;
                  window.tips[frame.clientMsgId] = (window.tips[frame.clientMsgId] ?? 0) + 1;
                  if (window.tips[frame.clientMsgId] > 1) return send.call(this, data);
                  if (!first) send.call(this, data);
                  this.close(4000, 'dropped for the test');
                };""");
        By tipButton = By.xpath("//ul[@id='online-list']/li[text()='" + bobName + "']//button[@data-action='tip']");
        click(ann, tipButton);
        waitFor(bob, By.cssSelector("#messages li.tip"));
        awaitState(ann, "online");
        click(ann, tipButton);
        new WebDriverWait(ann, WAIT).until(driver -> ((Number) ((JavascriptExecutor) driver).executeScript(
                "return Object.values(window.tips).filter((sent) => sent > 1).length;")).intValue() == 2);

        // After both were sent again, a message of ann's: any tip stored twice would come before it.
        ann.findElement(By.id("text")).sendKeys("that was all", Keys.ENTER);
        waitFor(bob, By.xpath("//ol[@id='messages']/li/span[@class='text' and text()='that was all']"));
        List<String> tips = bob.findElements(By.cssSelector("#messages li.tip .text")).stream()
                .map(WebElement::getText).toList();
        assertEquals(List.of("🎁 gave " + bobName + " 10", "🎁 gave " + bobName + " 10"), tips, "each given once");
    }

    /**
     * A room whose history does not come (the connection drops as it is asked) is asked again once the page is
     * back online: it stayed empty until clicked again.
     */
    @Test
    void aRoomWhoseHistoryDidNotComeIsLoadedOnceTheConnectionIsBack() throws Exception {
        String quiet = Server.unique("quiet");
        String busy = Server.unique("busy");
        signIn(ann, Server.unique("ann"));
        join(ann, busy);
        join(ann, quiet);
        try (WsClient bobs = WsClient.joined(Server.unique("bob"), busy)) {
            bobs.send(WsClient.send("s", busy, "said before ann looked", "b-1"));
            bobs.reply("s", "receipt");
        }
        // The page's next history request drops its connection instead (4000: the client reconnects).
        ((JavascriptExecutor) ann).executeScript("""
                const send = WebSocket.prototype.send;
                WebSocket.prototype.send = function (data) {
                  if (!window.dropped && JSON.parse(data).type === 'history') {
                    window.dropped = true;
                    this.close(4000, 'dropped for the test');
                    return;
                  }
                  send.call(this, data);
                };""");
        click(ann, roomButton(busy));

        waitFor(ann, By.xpath("//ol[@id='messages']/li/span[@class='text' and text()='said before ann looked']"));
        assertEquals(busy, ann.findElement(By.id("room-title")).getText());
        assertEquals(Boolean.TRUE, ((JavascriptExecutor) ann).executeScript("return window.dropped === true;"),
                "its first history request was dropped");
    }

    /**
     * A room left on another device while the page was offline is no longer the page's: joined again, it goes
     * on from the room's seq then. The page had kept where it stopped, took the next live message for a gap,
     * held it back, and paged with {@code sync} through all that was said while it was not a member.
     */
    @Test
    void aRoomLeftElsewhereWhileOfflineGoesOnFromItsSeqWhenJoinedAgain() throws Exception {
        String room = Server.unique("left");
        try (CuttableProxy network = annOnANetworkWithBob(room)) {
            bob.findElement(By.id("text")).sendKeys("one", Keys.ENTER);
            waitFor(ann, By.xpath("//ol[@id='messages']/li[span[@class='text' and text()='one']]"));
            ((JavascriptExecutor) ann).executeScript("""
                    const syncs = window.syncs = [];
                    window.WebSocket = class extends window.WebSocket {
                      send(data) {
                        const frame = JSON.parse(data);
                        if (frame.type === 'sync') syncs.push(frame.after);
                        super.send(data);
                      }
                    };""");
            cut(network, ann);
            try (WsClient annsPhone = WsClient.hello(Server.ws(), savedToken(ann))) {
                annsPhone.send(WsClient.frame("leave").add("ref", "l").add("room", room));
                annsPhone.reply("l", "left");
            }
            bob.findElement(By.id("text")).sendKeys("two, while ann is away", Keys.ENTER);
            waitFor(bob, By.cssSelector("#messages li.mine[data-seq='2']:not(.pending)"));
            restore(network, ann);
            new WebDriverWait(ann, WAIT).until(driver -> driver.findElements(roomButton(room)).isEmpty());

            join(ann, room);
            bob.findElement(By.id("text")).sendKeys("three", Keys.ENTER);
            waitFor(ann, By.xpath("//ol[@id='messages']/li[span[@class='text' and text()='three']]"));
            assertEquals(List.of(), ((JavascriptExecutor) ann).executeScript("return window.syncs;"),
                    "nothing to page: the page holds the room from its seq at the join");
        }
    }

    /**
     * A room archived while the page was offline is read-only when the page is back (its welcome and its join again
     * say so), though the word of it went to the open pages only.
     */
    @Test
    void aRoomArchivedWhileThePageWasOfflineIsReadOnlyWhenItIsBack() throws Exception {
        String room = Server.unique("away");
        try (CuttableProxy network = annOnANetworkWithBob(room)) {
            cut(network, ann);
            HttpResponse<String> archived = Server.post("api/admin/rooms/" + room + "/archive", Server.adminToken(),
                    "{}");
            assertEquals(200, archived.statusCode(), archived.body());
            waitFor(bob, By.id("archived-note"));
            restore(network, ann);
            assertEquals("This room is archived: it is read-only.", waitFor(ann, By.id("archived-note")).getText());
            assertFalse(ann.findElement(By.id("composer")).isDisplayed(), "no box to write in");
            assertFalse(ann.findElement(By.id("archive")).isDisplayed(), "nothing left for its owner to archive");
        }
    }

    /** A room handed over while its owner's page was offline: back online, it no longer offers an owner's tools. */
    @Test
    void aRoomHandedOverWhileThePageWasOfflineIsNoLongerOfferedToArchive() throws Exception {
        String room = Server.unique("handed");
        try (CuttableProxy network = annOnANetworkWithBob(room)) {
            waitFor(ann, By.id("archive"));
            cut(network, ann);
            String bobName = bob.findElement(By.id("me")).getText();
            HttpResponse<String> handed = Server.put("api/admin/rooms/" + room + "/owner", Server.adminToken(),
                    Json.createObjectBuilder().add("user", bobName).build().toString());
            assertEquals(200, handed.statusCode(), handed.body());
            waitFor(bob, By.id("archive"));
            restore(network, ann);
            new WebDriverWait(ann, WAIT).until(ExpectedConditions.invisibilityOfElementLocated(By.id("archive")));
            assertTrue(ann.findElement(By.id("topic-toggle")).isDisplayed(), "a moderator now, who sets topics");
        }
    }

    /** Cuts the page's network and waits until the page says it is offline, as its reader would see. */
    private static void cut(CuttableProxy network, WebDriver page) {
        network.cut();
        awaitState(page, "offline");
    }

    /** Gives the page its network back and waits until the page says it is online again. */
    private static void restore(CuttableProxy network, WebDriver page) {
        network.restore();
        awaitState(page, "online");
    }

    private static void awaitState(WebDriver page, String state) {
        new WebDriverWait(page, WAIT).until(ExpectedConditions.textToBe(By.id("state"), state));
    }

    /** ann reaches the server only through a network the test can cut or stall; she and bob are in the room. */
    private CuttableProxy annOnANetworkWithBob(String room) throws Exception {
        CuttableProxy network = new CuttableProxy(Integer.parseInt(System.getProperty("it.http.port")));
        try {
            signIn(ann, throughProxy(network), Server.unique("ann"));
            signIn(bob, Server.unique("bob"));
            join(ann, room);
            join(bob, room);
            return network;
        } catch (Exception | AssertionError e) {
            network.close();
            throw e;
        }
    }

    private static String throughProxy(CuttableProxy network) {
        return "http://127.0.0.1:" + network.port() + Server.http("").getPath();
    }

    private static By roomButton(String room) {
        return By.xpath("//ul[@id='room-list']//button[span[text()='" + room + "']]");
    }

    @Test
    void aGuestWhoseTokenExpiresIsSignedInAgainWithoutNoticing() {
        // A token that the server signed (the test knows its key) and that expires in 10 s.
        TokenService shortLived = new TokenService(Base64.getDecoder().decode(System.getProperty("it.token.key")),
                Duration.ofSeconds(10), Clock.systemUTC());
        String user = "guest-" + Server.unique("dora");
        TokenService.Issued issued = shortLived.issue(user, Set.of("guest"));
        String login = Json.createObjectBuilder().add("token", issued.token()).add("user", user)
                .add("expiresAt", issued.identity().expiresAt().toString()).build().toString();

        ann.get(Server.http("").toString());
        ((JavascriptExecutor) ann).executeScript("sessionStorage.setItem('parley.token', arguments[0]);", login);
        ann.navigate().refresh();
        awaitState(ann, "online");
        assertEquals(user, ann.findElement(By.id("me")).getText());
        String first = Server.unique("aardvark");
        String second = Server.unique("zebra");
        join(ann, first);
        join(ann, second);
        ann.findElement(By.id("text")).sendKeys("said before", Keys.ENTER);
        waitFor(ann, By.cssSelector("#messages li.mine:not(.pending)"));
        // Marked: once it is gone, the page has opened a room again after signing in again.
        ((JavascriptExecutor) ann).executeScript("document.querySelector('#messages li.mine').dataset.before = 1;");
        ann.findElement(By.id("text")).sendKeys("half a thought");

        // The server closes with 4501 when the token runs out; the page fetches a new guest token and goes on,
        // in the room it was in, with what was typed there.
        new WebDriverWait(ann, WAIT).until(driver -> !issued.token().equals(savedToken(driver)));
        new WebDriverWait(ann, WAIT).until(driver -> driver.findElements(By.cssSelector("li[data-before]")).isEmpty());
        awaitState(ann, "online");
        assertEquals(user, ann.findElement(By.id("me")).getText());
        assertTrue(ann.findElement(By.id("login")).getAttribute("hidden") != null, "no sign-in form was shown");
        assertEquals(second, ann.findElement(By.id("room-title")).getText());
        assertEquals("half a thought", ann.findElement(By.id("text")).getAttribute("value"));
    }

    @Test
    void aClientClosedWhileWaitingToReconnectEndsItsConnect() {
        ann.get(Server.http("").toString());
        ann.manage().timeouts().scriptTimeout(WAIT);
        // No socket at that path (the page's own origin, which its policy lets it reach): the upgrade fails
        // (1006) and the client waits to try again, with no socket.
        Object outcome = ((JavascriptExecutor) ann).executeAsyncScript("""
                const done = arguments[0];
                const url = new URL('no-socket-here', location.href.replace(/^http/, 'ws')).href;
                import('./parley-client.js').then(({ ParleyClient }) => {
                  const client = new ParleyClient({ url, token: 'unused', user: 'nobody', storage: sessionStorage });
                  const states = [];
                  client.addEventListener('state', (event) => {
                    states.push(event.detail);
                    if (event.detail === 'offline') setTimeout(() => client.close()); // the wait has begun
                  });
                  client.connect().then(() => done('welcomed'), (error) => done(`${states} | ${error.message}`));
                }).catch((error) => done(`not loaded: ${error}`));""");
        assertEquals("connecting,offline,closed | closed 1000 bye", outcome);
    }

    /**
     * A long conversation: the page opens on its newest 50 messages, and "Earlier messages" brings the older ones
     * a page at a time, above, the view staying where the reader was. A new message does not pull one who reads
     * back down to it, but a button says it came and takes them there; one who follows the room live keeps 300
     * lines, the oldest going (the button brings them).
     */
    @Test
    void aLongConversationIsReadBackAPageAtATime() throws Exception {
        String room = Server.unique("long");
        Server.postAsFastAsReceiptsCome(lines(room, 1, 120), 50);
        signIn(ann, Server.unique("ann"));
        join(ann, room);
        new WebDriverWait(ann, WAIT).until(driver -> shownTexts(driver).size() == 50);
        assertEquals(texts(71, 120), shownTexts(ann), "the newest 50");
        assertFalse(ann.findElement(By.id("to-latest")).isDisplayed(), "at the newest: nothing below");
        WebElement earlier = ann.findElement(By.id("earlier"));
        assertTrue(earlier.isDisplayed());
        assertTrue((Boolean) ((JavascriptExecutor) ann).executeScript(
                "return document.getElementById('text').getBoundingClientRect().bottom <= innerHeight;"),
                "the conversation scrolls, the message box stays in view");

        double newestTop = topOfNewest(ann);
        earlier.click();
        new WebDriverWait(ann, WAIT).until(driver -> shownTexts(driver).size() == 100);
        assertEquals(texts(21, 120), shownTexts(ann));
        assertEquals(newestTop, topOfNewest(ann), 1, "the lines read stay where they were");
        click(ann, By.id("earlier"));
        new WebDriverWait(ann, WAIT).until(driver -> shownTexts(driver).size() == 120);
        assertEquals(texts(1, 120), shownTexts(ann), "the whole room, in order");
        assertFalse(earlier.isDisplayed(), "nothing older");
        assertEquals(1, ann.findElements(By.cssSelector("#messages li.day")).size(), "one day, one day line");

        // Reading back: a new message comes at the bottom and the view stays.
        JavascriptExecutor page = (JavascriptExecutor) ann;
        page.executeScript("document.getElementById('messages').scrollTop = 0;");
        Server.postAsFastAsReceiptsCome(lines(room, 121, 121), 1);
        new WebDriverWait(ann, WAIT).until(driver -> shownTexts(driver).size() == 121);
        assertEquals(0L, ((Number) page.executeScript("return document.getElementById('messages').scrollTop;"))
                .longValue(), "not pulled down");
        WebElement toLatest = ann.findElement(By.id("to-latest"));
        assertTrue(toLatest.isDisplayed(), "but told that something came below");
        toLatest.click();
        assertTrue((Boolean) page.executeScript("const list = document.getElementById('messages');"
                + " return list.scrollHeight - list.scrollTop - list.clientHeight < 48;"), "taken to the newest");
        assertFalse(toLatest.isDisplayed());

        // Following: back at the bottom, 300 more come live and the oldest lines go.
        page.executeScript("const list = document.getElementById('messages'); list.scrollTop = list.scrollHeight;");
        Server.postAsFastAsReceiptsCome(lines(room, 122, 421), 50);
        new WebDriverWait(ann, WAIT).until(driver -> shownTexts(driver).contains("line 421"));
        List<String> shown = shownTexts(ann);
        long lines = (Long) page.executeScript("return document.getElementById('messages').childElementCount;");
        assertTrue(lines <= 301, lines + " lines");
        assertEquals(texts(421 - shown.size() + 1, 421), shown, "the newest, in order, with no gap");
        WebElement firstLine = ann.findElement(By.cssSelector("#messages li:first-child"));
        assertTrue(firstLine.getAttribute("class").contains("day"), "the first line left keeps its day line");
        assertEquals(page.executeScript(
                "return new Date().toLocaleDateString([], { weekday: 'long', day: 'numeric', month: 'long' });"),
                firstLine.getText(), "today's");
        assertTrue(earlier.isDisplayed(), "the ones that went can be read again");
        click(ann, By.id("earlier"));
        new WebDriverWait(ann, WAIT).until(driver -> shownTexts(driver).size() == shown.size() + 50);
        assertEquals(texts(421 - shown.size() - 49, 421), shownTexts(ann));
    }

    /**
     * A reader whose system is set to dark gets the page in dark colours, and the conversation's text, its links
     * and code, a line's time, the connection's state and the buttons as readable as in the light scheme: WCAG's
     * contrast of 4.5 to 1 at least against what each is drawn on.
     */
    @Test
    void theDarkSchemeKeepsEveryTextReadable() throws Exception {
        String room = Server.unique("dark");
        signIn(ann, Server.unique("ann"));
        join(ann, room);
        ann.findElement(By.id("text")).sendKeys("see https://example.org/dark and `code`", Keys.ENTER);
        waitFor(ann, By.cssSelector("#messages li.mine:not(.pending)"));
        List<By> texts = List.of(By.cssSelector("#messages li.mine .text"), By.cssSelector("#messages li.mine .meta"),
                By.cssSelector("#messages li.mine .text a"), By.cssSelector("#messages li.mine .text code"),
                By.id("state"), By.cssSelector("#composer button"), By.cssSelector("#room-list button"));
        for (String scheme : List.of("light", "dark")) {
            ((ChromeDriver) ann).executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features",
                    List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
            double page = ((Number) ((JavascriptExecutor) ann).executeScript(CONTRAST
                    + "return luminance(rgb(getComputedStyle(document.body).backgroundColor === 'rgba(0, 0, 0, 0)'"
                    + " ? getComputedStyle(document.documentElement).backgroundColor"
                    + " : getComputedStyle(document.body).backgroundColor));")).doubleValue();
            assertEquals(scheme.equals("dark"), page < 0.05, scheme + ": the page's luminance is " + page);
            for (By text : texts) {
                double ratio = ((Number) ((JavascriptExecutor) ann).executeScript(CONTRAST
                        + "return contrast(arguments[0]);", ann.findElement(text))).doubleValue();
                assertTrue(ratio >= 4.5, scheme + ": " + text + " has a contrast of " + ratio);
            }
        }
        screenshot(ann, "dark");
    }

    private static List<Map.Entry<String, String>> lines(String room, int from, int to) {
        return texts(from, to).stream().map(text -> Map.entry(room, text)).toList();
    }

    private static List<String> texts(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> "line " + i).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<String> shownTexts(WebDriver driver) {
        return (List<String>) ((JavascriptExecutor) driver).executeScript(
                "return [...document.querySelectorAll('#messages li[data-seq] .text')].map((e) => e.textContent);");
    }

    /** Where the newest line is in the conversation's view. */
    private static double topOfNewest(WebDriver driver) {
        return ((Number) ((JavascriptExecutor) driver).executeScript("""
                const list = document.getElementById('messages');
                return list.lastElementChild.getBoundingClientRect().top - list.getBoundingClientRect().top;"""))
                .doubleValue();
    }

    /** bob signs in under a new name and joins the rooms in turn: his page has the last one open. */
    private void bobIn(String... rooms) {
        signIn(bob, Server.unique("bob"));
        for (String room : rooms) {
            join(bob, room);
        }
    }

    /** ann signs in under her name and bob under a new one, and both join the room, ann first (its owner). */
    private void annAndBobIn(String room, String annName) {
        signIn(ann, annName);
        signIn(bob, Server.unique("bob"));
        join(ann, room);
        join(bob, room);
    }

    /**
     * A script that moves the page's clock (Date.now, by which it times edit windows and links) further ahead, as
     * time passing would: the server's clocks are real.
     */
    private static String clockAhead(Duration by) {
        return "const now = Date.now; Date.now = () => now() + " + by.toMillis() + ";";
    }

    private static String savedToken(WebDriver driver) {
        return (String) ((JavascriptExecutor) driver).executeScript(
                "return JSON.parse(sessionStorage.getItem('parley.token') || '{}').token || null;");
    }
}
