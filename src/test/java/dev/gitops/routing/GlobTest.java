package dev.gitops.routing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Globs as branch rules, the repository allow-list and when_modified use them, matched in linear time. */
class GlobTest {
    @ParameterizedTest(name = "{0} ~ {1}: {2}")
    @CsvSource({
            "feature/**, feature/JIRA-1/network, true",
            "feature/**, feature, false",
            "feature/*, feature/a/b, false",
            "feature/*, feature/a, true",
            "main, main, true",
            "main, mainline, false",
            "shared/**/*.tfvars, shared/common.tfvars, true",
            "shared/**/*.tfvars, shared/a/b/prd.tfvars, true",
            "shared/**/*.tfvars, shared/common.tf, false",
            "acme/*, acme/infra, true",
            "acme/*, acme/infra/x, false",
            "*, anything, true",
            "*, a/b, false",
            "**, a/b/c, true",
            "release-?.?, release-1.2, true",
            "release-?.?, release-1/2, false",
            "a.b, a.b, true",
            "a.b, axb, false"})
    void aGlobMatchesWhatItSays(String glob, String value, boolean expected) {
        assertEquals(expected, Glob.of(glob).matches(value));
    }

    @Test
    void aHostileGlobAgainstALongPathIsAnsweredInWellUnderASecond() {
        Glob hostile = Glob.of("*a*a*a*a*a*a*a*a*a*a*a*a*b");
        String path = "a".repeat(20_000) + "c";
        long start = System.nanoTime();
        assertFalse(hostile.matches(path));
        assertFalse(Glob.of("**a**a**a**a**a**a**a**a**a**a**a**a**b").matches(path.replace('a', '/') + "a"));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < 500, "took " + millis + " ms");
    }

    /** The same answers as a backtracking regular expression gives where backtracking is cheap (short texts). */
    @Test
    void itAnswersAsTheRegularExpressionItReplaces() {
        Random random = new Random(7);
        String alphabet = "ab/*?";
        for (int i = 0; i < 20_000; i++) {
            String glob = randomText(random, alphabet, 6);
            String value = randomText(random, "ab/", 8);
            assertEquals(regex(glob).matcher(value).matches(), Glob.of(glob).matches(value), glob + " ~ " + value);
        }
    }

    private static String randomText(Random random, String alphabet, int max) {
        StringBuilder s = new StringBuilder();
        for (int i = random.nextInt(max + 1); i > 0; i--) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    private static Pattern regex(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*') {
                if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                    i++;
                    if (i + 1 < glob.length() && glob.charAt(i + 1) == '/') {
                        i++;
                        regex.append("(?:.*/)?");
                    } else {
                        regex.append(".*");
                    }
                } else {
                    regex.append("[^/]*");
                }
            } else if (c == '?') {
                regex.append("[^/]");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
