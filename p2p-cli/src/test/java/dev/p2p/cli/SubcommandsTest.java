package dev.p2p.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.p2p.cli.commands.GetCommand;
import dev.p2p.cli.commands.IdCommand;
import org.junit.jupiter.api.Test;

/** Which subcommand a command line names, so that only it is built (the others cost start time). */
class SubcommandsTest {
    @Test
    void theFirstWordThatIsNotAnOptionNamesTheCommand() {
        assertEquals(GetCommand.class, Subcommands.named(new String[] {"get", "p2p://x", "-o", "id"}));
        assertEquals(GetCommand.class, Subcommands.named(new String[] {"--json", "-v", "get", "p2p://x"}));
    }

    @Test
    void theValueOfADataDirOrConfigOptionIsNotACommand() {
        assertEquals(IdCommand.class, Subcommands.named(new String[] {"--data-dir", "get", "id"}));
        assertEquals(IdCommand.class, Subcommands.named(new String[] {"--config", "node", "--json", "id"}));
        assertEquals(IdCommand.class, Subcommands.named(new String[] {"--data-dir=get", "id"}));
    }

    @Test
    void helpTyposAndCompletionGetEveryCommand() {
        assertNull(Subcommands.named(new String[] {}));
        assertNull(Subcommands.named(new String[] {"--help"}));
        assertNull(Subcommands.named(new String[] {"gte", "p2p://x"}));
        assertNull(Subcommands.named(new String[] {"generate-completion"}));
        assertNull(Subcommands.named(new String[] {"--", "get"}));
    }
}
