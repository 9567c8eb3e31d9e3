"""commands._positional_password_parts: passwords given as a program's positional words in a
command written as one string (`htpasswd -nb user pw`, `mosquitto_passwd -b f user pw`,
`rabbitmqctl add_user user pw`, `redis-cli AUTH pw`, `echo user:pw | chpasswd`) are masked, and
references, other words and other programs are not (issue 14)."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from nexlayer_lint import commands
from nexlayer_lint.commands import command_parts
from nexlayer_lint.secrets import parts_in
from tests.conftest import ROOT, slowness


def found_in(text: str) -> list[str]:
    return [text[part.start : part.end] for part in parts_in(text)]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # htpasswd: with `-b` in its flags the password is its last word: USER PASSWORD with `-n`,
        # else FILE USER PASSWORD
        ("htpasswd -nb admin Zq9Ht1x", ["Zq9Ht1x"]),
        ("htpasswd -bc /etc/nginx/.htpasswd admin Zq9Ht2x", ["Zq9Ht2x"]),
        ("htpasswd -Bb /etc/nginx/.htpasswd admin Zq9Ht3x", ["Zq9Ht3x"]),
        ("htpasswd -nbB admin Zq9Ht4x && nginx", ["Zq9Ht4x"]),
        ("htpasswd -bB -C 12 /etc/.htpasswd admin Zq9Ht5x", ["Zq9Ht5x"]),  # `-C`'s value is no word
        ("htpasswd -bC 12 /etc/.htpasswd admin Zq9Ht6x", ["Zq9Ht6x"]),  # last in a group of flags too
        ("htpasswd -b -c /etc/.htpasswd admin Zq9Ht7x", ["Zq9Ht7x"]),
        ("/usr/bin/htpasswd -nb admin Zq9Ht8x", ["Zq9Ht8x"]),
        ("true;htpasswd -nb admin Zq9Ht9x", ["Zq9Ht9x"]),
        ("htpasswd -nb admin 'Zq9 Ht10x'", ["Zq9 Ht10x"]),  # a quoted word, blanks and all
        ('htpasswd -nb admin "Zq9;Ht11x"', ["Zq9;Ht11x"]),  # a quoted `;` ends nothing
        ('htpasswd -nb admin "Zq9Ht"12x', ['Zq9Ht"12x']),  # the shell joins what follows the quote
        ("htpasswd -nb admin Zq9Ht13x;htpasswd -nb root Zq9Ht14x", ["Zq9Ht13x", "Zq9Ht14x"]),
        ("htpasswd -nb admin Zq9Ht15x > /etc/.htpasswd", ["Zq9Ht15x"]),
        ("htpasswd -nb admin Zq9Ht16x 2>/dev/null | tee f", ["Zq9Ht16x"]),
        ("htpasswd -nb -- admin Zq9Ht17x", ["Zq9Ht17x"]),
        ("htpasswd -b f admin -Zq9Ht18x", ["-Zq9Ht18x"]),  # after its first word, `-x` is a word
        ("htpasswd -b \\\n  -c f admin Zq9Ht19x", ["Zq9Ht19x"]),  # a line continued by a backslash
        ("htpasswd -nb admin Zq9Ht20x # the admin\nnginx", ["Zq9Ht20x"]),
        ("htpasswd -nb $(whoami) Zq9Ht21x", ["Zq9Ht21x"]),
        # in a quoted command, or a substitution: the closing quote or `)` is no part of it
        ('sh -c "htpasswd -nb admin Zq9Ht22x"', ["Zq9Ht22x"]),
        ("sh -c 'htpasswd -bc f admin \"Zq9 Ht23x\"' && nginx", ["Zq9 Ht23x"]),
        ("echo $(htpasswd -nb admin Zq9Ht24x) | sed -e s/x/y/", ["Zq9Ht24x"]),
        ("echo htpasswd -nb admin Zq9Ht25x >> setup.sh", ["Zq9Ht25x"]),  # a command line written out
        # no `-b`: htpasswd asks for the password
        ("htpasswd -c /etc/nginx/.htpasswd admin", []),
        ("htpasswd -nB admin", []),
        ("htpasswd -D /etc/.htpasswd admin", []),
        ("htpasswd -nb admin", []),  # no password word
        # references are no literal password
        ("htpasswd -nb admin $HT_PASSWORD", []),
        ('htpasswd -nb admin "$HT_PASSWORD"', []),
        ("htpasswd -nb admin ${HT_PASSWORD}", []),
        ('htpasswd -nb admin "${HT_PASSWORD}"', []),
        ("htpasswd -nb admin $(cat /run/secrets/ht)", []),
        ('htpasswd -nb admin "$(cat /run/secrets/ht)"', []),
        ("htpasswd -nb admin `cat /run/secrets/ht`", []),
        ("htpasswd -nb admin <% HT_PASSWORD %>", []),
        ("htpasswd -nb admin '$(cat /run/secrets/ht)'", ["$(cat /run/secrets/ht)"]),  # single quotes: text
        ("htpasswd -nb admin $(Zq9Ht26x", ["$(Zq9Ht26x"]),  # a `$(` nothing closes is text
        # mosquitto_passwd -b FILE USER PASSWORD
        ("mosquitto_passwd -b /mosquitto/config/passwd admin Zq9Mq1x", ["Zq9Mq1x"]),
        ("mosquitto_passwd -c -b /mosquitto/config/passwd admin Zq9Mq2x", ["Zq9Mq2x"]),
        ("mosquitto_passwd -H sha512 -b /mosquitto/passwd admin Zq9Mq3x", ["Zq9Mq3x"]),
        ("mosquitto_passwd -c /mosquitto/config/passwd admin", []),
        ("mosquitto_passwd -U /mosquitto/config/passwd", []),
        ("mosquitto_passwd -b /mosquitto/passwd admin $MQTT_PASSWORD", []),
        # rabbitmqctl add_user / change_password USER PASSWORD, options before or after
        ("rabbitmqctl -n rabbit@mq add_user admin Zq9Rb1x", ["Zq9Rb1x"]),
        ("rabbitmqctl --node rabbit@mq change_password admin 'Zq9 Rb2x'", ["Zq9 Rb2x"]),
        ("rabbitmqctl add_user -n rabbit@mq admin Zq9Rb3x --timeout 60", ["Zq9Rb3x"]),
        ("docker exec -i mq rabbitmqctl add_user admin Zq9Rb4x; rabbitmqctl set_user_tags admin x", ["Zq9Rb4x"]),
        ("rabbitmqctl authenticate_user admin Zq9Rb5x -q", ["Zq9Rb5x"]),
        ("rabbitmqctl -q list_users", []),
        ("rabbitmqctl -n rabbit@mq set_user_tags admin administrator", []),
        ("rabbitmqctl -n rabbit@mq delete_user admin", []),
        ("rabbitmqctl -n rabbit@mq add_user admin", []),  # it asks for the password
        ("rabbitmqctl -n rabbit@mq add_user admin ${RABBITMQ_PASSWORD}", []),
        ("rabbitmqctl -n rabbit@mq add_user admin $(cat /run/secrets/mq)", []),
        ("echo -n add_user admin Zq9Rb6x", []),  # the words, in another program
        # redis-cli AUTH [USER] PASSWORD, in any case, past redis-cli's options
        ("redis-cli -h db -p 6379 AUTH Zq9Rd1x", ["Zq9Rd1x"]),
        ("redis-cli -h db auth default Zq9Rd2x", ["Zq9Rd2x"]),  # two words: the second
        ("redis-cli --tls --cacert /ca.pem -h db Auth Zq9Rd3x", ["Zq9Rd3x"]),
        ("redis-cli -h db AUTH Zq9Rd4x 2>/dev/null", ["Zq9Rd4x"]),
        ("redis-cli -a Zq9Rd5x AUTH Zq9Rd6x", ["Zq9Rd5x", "Zq9Rd6x"]),  # `-a` by its own reader
        ("sh -c 'redis-cli -h db AUTH \"Zq9 Rd7x\"' && echo ok", ["Zq9 Rd7x"]),
        # hunt 152 F3: HELLO's and MIGRATE's AUTH, an ACL rule's `>PASSWORD`
        ("redis-cli HELLO 3 AUTH default Zq9He1x; redis-cli HELLO 3", ["Zq9He1x"]),
        ("redis-cli MIGRATE h 6379 k 0 5000 AUTH Zq9Mi1x", ["Zq9Mi1x"]),
        ("redis-cli MIGRATE h 6379 k 0 5000 AUTH2 u Zq9Mi2x", ["Zq9Mi2x"]),
        ("redis-cli ACL SETUSER u on '>Zq9Acl1' ~* +@all; redis-cli ACL SETUSER v on nopass", [">Zq9Acl1"]),
        # hunt 153 F11: a client's name or a key called `auth` is no keyword; F4: `>pw` unquoted (an
        # exec-form list has no shell), and `<pw`, which removes it, names it too
        ("redis-cli HELLO 3 SETNAME auth AUTH default Zq9He2x", ["Zq9He2x"]),
        ("redis-cli MIGRATE other 6379 auth 0 5000 AUTH Zq9Mi3x", ["Zq9Mi3x"]),
        ("redis-cli MIGRATE h 6379 '' 0 5000 KEYS auth k2", []),
        ("redis-cli ACL SETUSER app on >Zq9Acl2 ~* +@all", [">Zq9Acl2"]),
        ("redis-cli ACL SETUSER app <Zq9Acl3", ["<Zq9Acl3"]),
        ("redis-cli GET k >out.txt", []),
        # hunt 153 F10: a list in a string (JSON) or a comment (flow), its items as words
        ('["redis-cli", "AUTH", "Zq9Li1x"]', ["Zq9Li1x"]),
        ("[redis-cli, -h, db, AUTH, default, Zq9Li2x]", ["Zq9Li2x"]),
        ('["redis-cli", "AUTH", "${REDIS_PASSWORD}"]', []),
        ("[redis-cli, GET, auth]", []),
        # the last session's weak point: a list inside a JSON object (a healthcheck's `test`); the
        # list's end ends the command (no second word for AUTH after it)
        ('{"test": ["CMD", "redis-cli", "AUTH", "Zq9Li3x"], "interval": "5s"}', ["Zq9Li3x"]),
        ('{"test": ["CMD", "redis-cli", "AUTH"]}', []),
        ('{"test": ["CMD", "redis-cli", "AUTH", "${REDIS_PASSWORD}"]}', []),
        # hunt 154 F9: MinIO's client, `mc alias set ALIAS URL ACCESS SECRET`
        ("mc alias set local http://minio.pod:9000 admin Zq9Mc1x && mc mb local/up", ["Zq9Mc1x"]),
        ("mc config host add s3 https://s3.amazonaws.com AKIDEXAMPLE Zq9Mc2x --api S3v4", ["Zq9Mc2x"]),
        ("mc ls local/uploads", []),
        # CONFIG SET requirepass / masterauth PASSWORD (Redis 7 sets several pairs)
        ("redis-cli -h db CONFIG SET requirepass Zq9Rd8x", ["Zq9Rd8x"]),
        ("redis-cli -h db config set masterauth Zq9Rd9x requirepass Zq9Rd10x", ["Zq9Rd9x", "Zq9Rd10x"]),
        ("redis-cli -h db CONFIG SET maxmemory 100mb", []),
        ("redis-cli -h db CONFIG GET requirepass", []),
        ("redis-cli -h db GET key", []),
        ("redis-cli -h db SET auth Zq9Rd11x", []),  # a key called auth
        ("redis-cli -h db AUTH", []),
        ("redis-cli -h db AUTH $REDIS_PASSWORD", []),
        ("redis-cli -h db AUTH default ${REDIS_PASSWORD}", []),
        ("redis-cli -h db AUTH $(cat /run/secrets/redis)", []),  # not `/run/secrets/redis)`, a second word
        ("redis-cli -h db AUTH default `cat /run/secrets/redis`", []),
        # echo 'user:PASSWORD' | chpasswd: what follows the first `:`; `-e`'s hash is secret too
        ("echo 'admin:Zq9Ch1x' | chpasswd", ["Zq9Ch1x"]),
        # the last session's weak point: a here-string
        ('chpasswd <<< "root:Zq9Ch7x"', ["Zq9Ch7x"]),
        ("sh -c 'chpasswd -e <<< root:Zq9Ch8x && exec app'", ["Zq9Ch8x"]),
        ('chpasswd <<< "$USER:$PASS"', []),
        ("echo -n 'root:Zq9Ch2x' | sudo /usr/sbin/chpasswd", ["Zq9Ch2x"]),
        ("echo 'root:$6$Zq9salt$Zq9hash' | chpasswd -e", ["$6$Zq9salt$Zq9hash"]),
        ("echo 'root:Zq9Ch3x' |\n  chpasswd", ["Zq9Ch3x"]),
        ("echo 'root:Zq9Ch4x' | tee /tmp/x", []),
        ("echo 'root:Zq9Ch5x' || chpasswd", []),
        ('echo "root:$ROOT_PASSWORD" | chpasswd', []),
        ('echo "root:${ROOT_PASSWORD}" | chpasswd', []),
        ('echo "root:$(cat /run/secrets/root)" | chpasswd', []),
    ],
)
def test_a_password_given_as_a_programs_word_is_masked(text: str, found: list[str]) -> None:
    assert found_in(text) == found


# Texts in which nothing else makes secrets.parts_in read commands (no option word, quote or `=`:
# secrets._HINT): the reader finds their password, and parts_in will once secrets.py's _HINT and
# _COMMAND_HINTS name these programs (secrets.POSITIONAL_PASSWORD_PROGRAMS).
UNHINTED = [
    ("rabbitmqctl add_user admin Zq9Un1x", ["Zq9Un1x"]),
    ("redis-cli AUTH Zq9Un2x", ["Zq9Un2x"]),
    ("redis-cli CONFIG SET requirepass Zq9Un3x", ["Zq9Un3x"]),
    ("echo admin:Zq9Un4x | chpasswd", ["Zq9Un4x"]),
]


@pytest.mark.parametrize(("text", "found"), UNHINTED)
def test_the_reader_finds_a_password_in_a_text_with_no_other_hint(text: str, found: list[str]) -> None:
    assert [text[part.start : part.end] for part in command_parts(text)] == found


@pytest.mark.parametrize(("text", "found"), UNHINTED)
def test_a_password_in_a_text_with_no_other_hint_is_masked(text: str, found: list[str]) -> None:
    assert found_in(text) == found


# Each a run of commands, or of words in one command, made to have the reader read again what
# it read (a command's words for each program in them, the rest of the text for each `$(`).
RUNS = {
    "commands": "htpasswd -nb a b; ",
    "words of one command": "htpasswd ",
    "program names in one echo": "echo htpasswd ",
    "substitutions left open": "redis-cli AUTH $(x ",
    "backticks left open": "redis-cli AUTH `x ",
    "programs in substitutions": "echo $(htpasswd -nb a ",
    "closing parentheses": "htpasswd -nb a b) ",
    "quotes left open": 'htpasswd -nb a "',
    "CONFIG SET pairs": "redis-cli CONFIG SET requirepass a ",
    "rabbitmqctl options": "rabbitmqctl add_user -n x ",
    "echoes into chpasswd": "echo a:b | chpasswd; ",
    "pipes into other programs": "echo a:b | chpasswd2 |",
    "continued lines": "htpasswd -nb \\\n",
    "comments": "htpasswd -nb a b #\n",
}


@pytest.mark.parametrize("name", sorted(RUNS))
def test_the_reader_reads_each_character_a_bounded_number_of_times(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # the characters its patterns search, counted: the same for a run ten times as long, per
    # character; a reader that read the rest of the text again for each command would not be
    searched: list[int] = []

    class Counted:
        def __init__(self, pattern: re.Pattern[str]) -> None:
            self.pattern = pattern

        def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
            found = self.pattern.search(text, pos, endpos)
            searched.append((found.start() if found else min(endpos, len(text))) - pos + 1)
            return found

        def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
            searched.append(1)
            return self.pattern.match(text, pos, endpos)

    for pattern in ("_KEY_STOP", "_POSITIONAL_PROGRAM", "_ECHO", "TEMPLATE_AT"):
        monkeypatch.setattr(commands, pattern, Counted(getattr(commands, pattern)))
    per_character = []
    for count in (200, 2_000):
        searched.clear()
        text = RUNS[name] * count + " chpasswd"
        commands._positional_password_parts(text)
        per_character.append(sum(searched) / len(text))
    assert per_character[1] <= 4, per_character
    assert per_character[1] <= per_character[0] * 1.5, per_character


_SPEED = """
import json, time
from nexlayer_lint.secrets import parts_in
runs = {runs!r}
seconds = {{}}
for name, run in runs.items():
    text = "sh -c " + run * 20_000 + " chpasswd"  # `-c`: parts_in reads it as commands
    start = time.perf_counter()
    parts_in(text)
    seconds[name] = time.perf_counter() - start
print(json.dumps(seconds))
"""


def test_20000_commands_are_read_in_linear_time() -> None:
    # a hang guard, not a timing: linear work takes about a second per run here, quadratic work hours
    runs = {name: RUNS[name] for name in ("commands", "substitutions left open", "echoes into chpasswd")}
    script = _SPEED.format(runs=runs)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    seconds = json.loads(done.stdout)
    print(seconds)
    assert max(seconds.values()) < 20 * slowness(), seconds
