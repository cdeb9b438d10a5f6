using System.Text;
using CsCheck;

namespace ProbeOps.Migrate.Tests.Secrets;

/// <summary>How a generated setting meets the server.</summary>
public enum Reach
{
    /// <summary>The marker is the role's real password: commands run through.</summary>
    Connects,

    /// <summary>The server refuses the password.</summary>
    WrongPassword,

    /// <summary>Nothing listens on the port (127.0.0.1:1).</summary>
    Refused,

    /// <summary>The setting does not parse.</summary>
    Malformed,
}

/// <summary>Where a generated setting points: the test cluster (on 127.0.0.1), a database and a role on it.</summary>
public sealed record SettingTarget(int Port, string Database, string User, string SqliteDirectory);

/// <summary>
/// A database setting that carries a marker password, in one of the accepted forms (with random key
/// spellings, case, order, spacing and quoting) or in a malformed variant. The marker is two
/// 12-character halves around a few special characters; a leak shows at least one half.
/// </summary>
public sealed record MarkedSetting(string Setting, string Password, Reach Reach, string Form)
{
    public string[] Pieces => [Password[..12], Password[^12..]];

    public override string ToString() => $"{Form} ({Reach}): {Setting}";
}

/// <summary>Generators of <see cref="MarkedSetting"/>.</summary>
public static class MarkedSettings
{
    private const string Alphanumeric = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private const string Specials = "!$%&()*+,-./:;<=>?@[]^_{|}~ '\"#";

    private static readonly string[] HostKeys = ["Host", "Server", "HOST", "host", "server"];
    private static readonly string[] PortKeys = ["Port", "port", "PORT"];
    private static readonly string[] DatabaseKeys = ["Database", "DB", "database", "db"];
    private static readonly string[] UserKeys = ["Username", "User ID", "User Name", "UserId", "user id", "USERNAME"];
    private static readonly string[] PasswordKeys = ["Password", "PSW", "PWD", "password", "pwd", "psw", "PassWord"];

    private static readonly Gen<string> Half = Gen.String[Gen.Char[Alphanumeric], 10, 10];

    /// <summary>The marker password: "Pw" and 10 letters, 0 to 4 special characters, "Qx" and 10 letters.</summary>
    public static readonly Gen<string> Marker =
        Gen.Select(Half, Gen.String[Gen.Char[Specials], 0, 4], Half, (a, mid, b) => "Pw" + a + mid + "Qx" + b);

    /// <summary>Settings that parse; <paramref name="reach"/> says whether the marker is the real password.</summary>
    public static Gen<MarkedSetting> Accepted(SettingTarget target, Reach reach) =>
        Gen.Select(Marker, Gen.Int[0, 2], Gen.Int[0, int.MaxValue].Array[12], (marker, form, dice) =>
        {
            var port = reach == Reach.Refused ? 1 : target.Port;
            var roll = new Dice(dice);
            return form switch
            {
                0 => new MarkedSetting(UserInfoUrl(target, port, marker, roll), marker, reach, "url"),
                1 => new MarkedSetting(QueryUrl(target, port, marker, roll), marker, reach, "url ?password="),
                _ => new MarkedSetting(Keywords(target, port, marker, roll), marker, reach, "keywords"),
            };
        });

    /// <summary>Settings that do not parse, each with the marker where a password was meant to go.</summary>
    public static Gen<MarkedSetting> Malformed(SettingTarget target) =>
        Gen.Select(Half, Half, Gen.Int[0, 9], Gen.Int[0, int.MaxValue].Array[12], (a, b, form, dice) =>
        {
            var roll = new Dice(dice);
            var (pre, suf) = ("Pw" + a, "Qx" + b);
            var host = $"127.0.0.1:{target.Port}";
            var (setting, name) = form switch
            {
                0 => ($"host=127.0.0.1 port={target.Port} password={pre}{suf} dbname={target.Database}", "libpq"),
                1 => ($"{roll.Pick(HostKeys)}=127.0.0.1;{Misspelled(roll.Pick(PasswordKeys), roll)}={pre}{suf};Database={target.Database}", "misspelled key"),
                2 => ($"postgres://{target.User}:{pre}{roll.Pick(["?", "#", "/?", "@?", "?@", "#/"])}{suf}@{host}/{target.Database}", "unencoded in url"),
                3 => ($"Host=127.0.0.1;{roll.Pick(PasswordKeys)}={pre};{suf}=x;Database={target.Database}", "unquoted ; in password"),
                4 => ($"Host=127.0.0.1;Database={target.Database};{roll.Pick(PasswordKeys)}='{pre}{suf}", "unclosed quote"),
                5 => ($"postgres://{target.User}:{pre}%zz{suf}@{host}/{target.Database}", "bad percent"),
                6 => ($"postgres://{target.User}@{host}/{target.Database}?{Misspelled("password", roll)}={pre}{suf}", "misspelled query parameter"),
                7 => ($"sqlite:{target.SqliteDirectory}/app.db?password={pre}{suf}", "sqlite ?password"),
                8 => ($"sqlite:{target.SqliteDirectory}/app.db;{roll.Pick(PasswordKeys)}={pre}{suf}", "sqlite ;password"),
                _ => ($"Host=127.0.0.1 {pre}{suf};Database={target.Database}", "password in the host"),
            };
            return new MarkedSetting(setting, pre + suf, Reach.Malformed, name);
        });

    private static string UserInfoUrl(SettingTarget t, int port, string marker, Dice roll) =>
        $"{roll.Pick(["postgres", "postgresql", "POSTGRES", "PostgreSQL"])}://{t.User}:{Uri.EscapeDataString(marker)}@127.0.0.1:{port}/{t.Database}" +
        roll.Pick(["", "?sslmode=disable", "?application_name=leak-check&connect_timeout=5"]);

    private static string QueryUrl(SettingTarget t, int port, string marker, Dice roll)
    {
        string[] parameters = [$"password={Uri.EscapeDataString(marker)}", $"user={t.User}", "sslmode=disable"];
        return $"postgresql://127.0.0.1:{port}/{t.Database}?" + string.Join('&', roll.Shuffle(parameters));
    }

    private static string Keywords(SettingTarget t, int port, string marker, Dice roll)
    {
        string[] pairs =
        [
            Pair(roll.Pick(HostKeys), "127.0.0.1", roll),
            Pair(roll.Pick(PortKeys), port.ToString(System.Globalization.CultureInfo.InvariantCulture), roll),
            Pair(roll.Pick(DatabaseKeys), t.Database, roll),
            Pair(roll.Pick(UserKeys), t.User, roll),
            Pair(roll.Pick(PasswordKeys), Quoted(marker, roll), roll),
        ];
        return string.Join(roll.Pick([";", "; ", " ;"]), roll.Shuffle(pairs)) + roll.Pick(["", ";"]);
    }

    private static string Pair(string key, string value, Dice roll) => key + roll.Pick(["=", " = ", "= "]) + value;

    /// <summary>A value as ADO.NET reads it: quoted when it must be (or at random), quotes doubled inside.</summary>
    private static string Quoted(string value, Dice roll)
    {
        var quote = roll.Pick(["\"", "'"]);
        var mustQuote = value.IndexOfAny([';', '=', '\'', '"', ' ']) >= 0;
        return mustQuote || roll.Next(2) == 0 ? quote + value.Replace(quote, quote + quote, StringComparison.Ordinal) + quote : value;
    }

    /// <summary>The key with one letter dropped, doubled or swapped with the next: never a spelling Npgsql knows.</summary>
    private static string Misspelled(string key, Dice roll)
    {
        var at = 1 + roll.Next(key.Length - 2);
        var text = new StringBuilder(key);
        switch (roll.Next(3))
        {
            case 0:
                text.Remove(at, 1);
                break;
            case 1:
                text.Insert(at, 'x');
                break;
            default:
                (text[at], text[at + 1]) = (text[at + 1], text[at]);
                text.Insert(0, 'x');
                break;
        }

        return text.ToString();
    }

    /// <summary>Choices drawn from numbers the generator made, so a failing case replays from its seed.</summary>
    private sealed class Dice(int[] numbers)
    {
        private int _next;

        public int Next(int count) => numbers[_next++ % numbers.Length] % count;

        public string Pick(string[] choices) => choices[Next(choices.Length)];

        public string[] Shuffle(string[] items) => [.. items.Select(item => (item, order: Next(1000))).OrderBy(p => p.order).Select(p => p.item)];
    }
}
