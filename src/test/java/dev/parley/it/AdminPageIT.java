package dev.parley.it;

import static dev.parley.it.Browser.WAIT;
import static dev.parley.it.Browser.join;
import static dev.parley.it.Browser.screenshot;
import static dev.parley.it.Browser.signIn;
import static dev.parley.it.Browser.signInWithAccount;
import static dev.parley.it.Browser.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The admin page in Chromium against the deployed WAR, beside a person on the chat page: what the operator
 * does there is what the person sees.
 */
@ExtendWith({FreshServer.class, ArquillianExtension.class})
@RunAsClient
@Tag("browser")
class AdminPageIT {

    private WebDriver operator;
    private WebDriver bob;

    @BeforeEach
    void browsers() {
        Browser.assumeChromium();
        operator = Browser.open();
        bob = Browser.open();
    }

    @AfterEach
    void quit() {
        Browser.quit(operator, bob);
    }

    @Test
    void anOperatorDeletesAMessagePostsANoticeAndBansAUserWhoSeesEachOfIt() throws Exception {
        String room = Server.unique("watched");
        String nickname = Server.unique("bob");
        String bobName = "guest-" + nickname;
        signIn(bob, nickname);
        join(bob, room);
        bob.findElement(By.id("text")).sendKeys("something regrettable", Keys.ENTER);
        waitFor(bob, By.xpath("//ol[@id='messages']/li[@data-seq='1']"));
        bob.findElement(By.id("topic-toggle")).click();
        waitFor(bob, By.id("topic-text")).sendKeys("a regrettable topic", Keys.ENTER);
        new WebDriverWait(bob, WAIT).until(ExpectedConditions.textToBe(By.id("room-topic"), "a regrettable topic"));

        signInAsOperator();
        waitFor(operator, By.cssSelector("#rooms tr[data-room='" + room + "']"));
        waitFor(operator, By.cssSelector("#connections tr[data-user='" + bobName + "']"));

        // A limit typed and not saved yet stays through a reload of the lists (not saved: the server keeps 20).
        WebElement perSecond = operator.findElement(By.id("limit-framesPerSecond"));
        new WebDriverWait(operator, WAIT).until(d -> "20".equals(perSecond.getDomProperty("value")));
        perSecond.clear();
        perSecond.sendKeys("7");
        clickInView(By.id("refresh"));
        status("Lists reloaded.");
        assertEquals("7", perSecond.getDomProperty("value"));
        // Saved, it holds (stored, through restarts) until the operator asks for the configured limits again,
        // which the server answers with.
        clickInView(By.cssSelector("#limits [data-action='save-limits']"));
        status("Limits saved: framesPerSecond 7");
        clickInView(By.id("limits-reset"));
        status("The configured limits are in force again.");
        assertEquals("20", perSecond.getDomProperty("value"));

        operator.findElement(By.id("delete-room")).sendKeys(room);
        operator.findElement(By.id("delete-seq")).sendKeys("1", Keys.ENTER);
        answer("Delete message 1 in " + room + "? Its text is removed for good.", true);
        status("Deleted message 1 in " + room);
        WebElement deleted = waitFor(bob, By.xpath("//ol[@id='messages']/li[@data-seq='1' and contains(@class,"
                + "'deleted')]"));
        assertEquals("message deleted", deleted.findElement(By.className("text")).getText());

        // The room's topic, shown to everybody in the directory, is taken down from the room's details.
        clickInView(By.cssSelector("#rooms tr[data-room='" + room + "'] [data-action='details']"));
        new WebDriverWait(operator, WAIT).until(ExpectedConditions.textToBe(By.id("room-topic"),
                "a regrettable topic"));
        clickInView(By.cssSelector("#room-topic-line [data-action='clear-topic']"));
        answer("Clear the topic of " + room + "? Its members are told.", true);
        status("Cleared the topic of " + room);
        new WebDriverWait(bob, WAIT).until(ExpectedConditions.invisibilityOfElementLocated(By.id("room-topic")));
        waitFor(bob, By.xpath("//ol[@id='messages']/li/span[@class='text' and text()='cleared the topic']"));
        assertFalse(operator.findElement(By.id("room-topic-line")).isDisplayed(), "the details show none now");
        // So are the invitation links its owner made: the room is told.
        bob.findElement(By.id("link-make")).click();
        waitFor(bob, By.id("link-url"));
        clickInView(By.cssSelector("#room-details [data-action='remove-links']"));
        answer("End every invitation link of " + room + "? Nobody joins with them after.", true);
        status("Ended 1 invitation link of " + room);
        waitFor(bob, By.xpath("//ol[@id='messages']/li[contains(@class,'system')]/span[@class='text'"
                + " and contains(text(),\" removed the room's invitation links\")]"));

        // A ban asked and not confirmed bans nobody: bob still gets the notice that follows.
        By banButton = By.cssSelector("#connections tr[data-user='" + bobName + "'] [data-action='ban']");
        clickInView(banButton);
        answer("Ban " + bobName + " from the server? Their connections close now.", false);
        operator.findElement(By.id("notice-all-text")).sendKeys("Restart at noon");
        operator.findElement(By.cssSelector("#notice-all [data-action='notice-all']")).click();
        WebElement notice = waitFor(bob, By.xpath("//ol[@id='messages']/li[contains(@class,'system')]"
                + "[span[@class='text' and text()='Restart at noon']]"));
        assertEquals("system", notice.findElement(By.className("meta")).getText().split(" ")[0]);

        clickInView(banButton);
        answer("Ban " + bobName + " from the server? Their connections close now.", true);
        status("Banned " + bobName);
        new WebDriverWait(bob, WAIT).until(ExpectedConditions.textToBe(By.id("chat-error"),
                "You are banned from this server."));
        assertFalse(bob.findElement(By.id("text")).isEnabled(), "nothing typed now would go out: nothing is typed");
        WebElement ban = waitFor(operator, By.cssSelector("#sanctions tr[data-user='" + bobName
                + "'][data-kind='ban']"));
        screenshot(operator, "admin");
        screenshot(bob, "banned-from-server");

        ban.findElement(By.cssSelector("[data-action='lift']")).click();
        new WebDriverWait(operator, WAIT).until(ExpectedConditions.invisibilityOfElementLocated(
                By.cssSelector("#sanctions tr[data-user='" + bobName + "']")));
        bob.navigate().refresh();
        new WebDriverWait(bob, WAIT).until(ExpectedConditions.textToBe(By.id("state"), "online"));
    }

    /**
     * The operator gives a room to a member, from its details: that member's open page offers an owner's tools at
     * once, and the old owner is a moderator.
     */
    @Test
    void anOperatorGivesARoomToAMemberWhosePageOffersAnOwnersTools() throws Exception {
        String room = Server.unique("handed");
        String nickname = Server.unique("bob");
        String bobName = "guest-" + nickname;
        try (WsClient ann = WsClient.joined(Server.unique("ann"), room)) {
            signIn(bob, nickname);
            join(bob, room);
            bob.findElement(By.id("members-toggle")).click();
            By annsRole = By.cssSelector("#member-list li[data-user='" + ann.user() + "'] button[data-action='role']");
            waitFor(bob, By.cssSelector("#member-list li[data-user='" + ann.user() + "']"));
            assertTrue(bob.findElements(annsRole).isEmpty(), "a member changes nobody's role");

            signInAsOperator();
            By details = By.cssSelector("#rooms tr[data-room='" + room + "'] [data-action='details']");
            waitFor(operator, details);
            clickInView(details);
            By giveToBob = By.cssSelector("#members tr[data-user='" + bobName + "'] [data-action='hand-over']");
            waitFor(operator, giveToBob);
            clickInView(giveToBob);
            answer("Give " + room + " to " + bobName + "? Its owner stays on as a moderator, if a member.", true);
            status("Gave " + room + " to " + bobName);
            assertEquals("Make member", waitFor(bob, annsRole).getText(), "ann is a moderator, bob's to change");
            new WebDriverWait(operator, WAIT).until(ExpectedConditions.textMatches(By.id("room-summary"),
                    Pattern.compile("^owner " + Pattern.quote(bobName) + " · ")));

            // Nobody is given a direct conversation: its members' rows offer no Make owner.
            ann.send(WsClient.frame("dm").add("ref", "d").add("user", bobName));
            String direct = ann.reply("d", "joined").getString("room");
            clickInView(By.id("refresh"));
            By directDetails = By.cssSelector("#rooms tr[data-room='" + direct + "'] [data-action='details']");
            waitFor(operator, directDetails);
            clickInView(directDetails);
            new WebDriverWait(operator, WAIT).until(ExpectedConditions.textMatches(By.id("room-summary"),
                    Pattern.compile("^direct conversation · ")));
            waitFor(operator, By.cssSelector("#members tr[data-user='" + bobName + "']"));
            assertTrue(operator.findElements(By.cssSelector("#members [data-action='hand-over']")).isEmpty());
        }
    }

    /**
     * Bob forgot his password: the operator finds his account and gives him a new one, and his page asks him for
     * it. Later the operator deletes his account, and his page says so.
     */
    @Test
    void anOperatorGivesAUserWhoForgotTheirPasswordANewOne() throws Exception {
        String user = Server.unique("bob");
        signInWithAccount(bob, user, "forgotten one", "register");
        signInAsOperator();

        // The operator finds bob's account by the start of his name, and asks for a new password from its row.
        String start = user.substring(0, user.length() - 2);
        operator.findElement(By.id("accounts-prefix")).sendKeys(start, Keys.ENTER);
        By bobsRow = By.cssSelector("#accounts tr[data-user='" + user + "']");
        assertEquals("active", waitFor(operator, bobsRow).findElement(By.cssSelector("td[data-label='State']"))
                .getText());
        clickInView(By.cssSelector("#accounts tr[data-user='" + user + "'] [data-action='new-password']"));
        assertEquals(user, operator.findElement(By.id("reset-user")).getDomProperty("value"));
        assertEquals("reset-password-value", operator.switchTo().activeElement().getDomAttribute("id"));
        operator.switchTo().activeElement().sendKeys("a new password", Keys.ENTER);
        status(user + " has a new password; their devices are signed out");
        assertEquals("", operator.findElement(By.id("reset-password-value")).getDomProperty("value"));
        new WebDriverWait(bob, WAIT).until(ExpectedConditions.textToBe(By.id("login-error"),
                "Your password was changed: enter the new one to go on."));

        bob.findElement(By.id("password")).sendKeys("a new password");
        bob.findElement(By.cssSelector("#account button[value='login']")).click();
        new WebDriverWait(bob, WAIT).until(ExpectedConditions.textToBe(By.id("state"), "online"));

        // Later bob asks to go: the operator deletes his account, asked once more, and his open page says so; the
        // accounts found say so too.
        clickInView(By.cssSelector("#accounts tr[data-user='" + user + "'] [data-action='delete-account']"));
        assertEquals(user, operator.findElement(By.id("delete-account-user")).getDomProperty("value"));
        operator.switchTo().activeElement().click();
        answer("Delete the account of " + user + "? They are signed out everywhere and nobody signs in with it"
                + " again.", true);
        status("Deleted the account of " + user);
        new WebDriverWait(bob, WAIT).until(ExpectedConditions.textToBe(By.id("login-error"),
                "Your account was deleted."));
        new WebDriverWait(operator, WAIT).until(ExpectedConditions.textToBe(By.cssSelector(
                "#accounts tr[data-user='" + user + "'] td[data-label='State']"), "deleted"));
        operator.findElement(By.id("accounts-prefix")).sendKeys("x", Keys.ENTER); // no unique name holds an x there
        new WebDriverWait(operator, WAIT).until(ExpectedConditions.textToBe(By.id("accounts-note"),
                "No account's name starts with " + start + "x (guests have no account)."));
        assertFalse(operator.findElement(By.id("accounts")).isDisplayed());
    }

    private void signInAsOperator() {
        operator.get(Server.http("admin.html").toString());
        operator.findElement(By.id("admin-username")).sendKeys("admin");
        operator.findElement(By.id("admin-password")).sendKeys(System.getProperty("it.admin.password"), Keys.ENTER);
        new WebDriverWait(operator, WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-out")));
    }

    /** Clicks the control in the middle of the window: at its top edge the page's sticky header covers it. */
    private void clickInView(By control) {
        WebElement element = operator.findElement(control);
        ((JavascriptExecutor) operator).executeScript("arguments[0].scrollIntoView({block: 'center'});", element);
        element.click();
    }

    /** The page asks before what others feel at once: the question, confirmed or not. */
    private void answer(String question, boolean confirm) {
        Alert asked = new WebDriverWait(operator, WAIT).until(ExpectedConditions.alertIsPresent());
        assertEquals(question, asked.getText());
        if (confirm) {
            asked.accept();
        } else {
            asked.dismiss();
        }
    }

    private void status(String text) {
        new WebDriverWait(operator, WAIT).until(ExpectedConditions.textToBe(By.id("status"), text));
    }
}
