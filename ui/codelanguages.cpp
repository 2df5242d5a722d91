// The languages CodeHighlighter knows: aliases, comment and string syntax,
// keywords, types and literals. Word lists are space-separated; a language
// with CaseInsensitive has them in lower case.

#include "codelexer.h"

#include <QHash>

#include <iterator>

namespace CodeLexing {

namespace {

struct LanguageSpec
{
    const char16_t *id;
    const char16_t *aliases;
    Kind kind;
    quint32 flags;
    const char16_t *lineComment;
    const char16_t *lineComment2;
    const char16_t *blockOpen;
    const char16_t *blockClose;
    const char16_t *keywords;
    const char16_t *types;
    const char16_t *literals;
    const char16_t *typeIntroducers;
    const char16_t *functionIntroducers;
};

#define C_KEYWORDS                                                                                                   \
    u"auto break case const continue default do else enum extern for goto if inline register restrict return "     \
    u"sizeof static struct switch typedef union volatile while _Alignas _Alignof _Atomic _Bool _Generic _Noreturn " \
    u"_Static_assert _Thread_local "
#define C_TYPES                                                                                                      \
    u"char double float int long short signed unsigned void bool size_t ssize_t ptrdiff_t intptr_t uintptr_t "     \
    u"int8_t int16_t int32_t int64_t uint8_t uint16_t uint32_t uint64_t wchar_t char8_t char16_t char32_t FILE "

const LanguageSpec Specs[] = {
    {u"c", u"c h", Kind::Generic, DQuote | SQuote | Preprocessor | Functions | DigitQuote | CppPrefix,
     u"//", nullptr, u"/*", u"*/", C_KEYWORDS, C_TYPES, u"NULL true false", u"struct enum union", nullptr},
    {u"cpp", u"cpp c++ cc cxx hpp hh hxx h++ ino cu cuda objc objective-c objectivec objcpp mm qml arduino glsl hlsl",
     Kind::Generic, DQuote | SQuote | Preprocessor | Functions | DigitQuote | CppPrefix | CamelTypes, u"//", nullptr,
     u"/*", u"*/",
     C_KEYWORDS
     u"alignas alignof and and_eq asm bitand bitor catch class co_await co_return co_yield compl concept const_cast "
     u"consteval constexpr constinit decltype delete dynamic_cast explicit export friend mutable namespace new "
     u"noexcept not not_eq operator or or_eq private protected public reinterpret_cast requires static_assert "
     u"static_cast template this thread_local throw try typeid typename using virtual xor xor_eq override final "
     u"import module signals slots emit Q_OBJECT Q_EMIT Q_SIGNALS Q_SLOTS",
     C_TYPES u"std string string_view wstring vector map unordered_map set unordered_set list deque array pair tuple "
             u"optional variant unique_ptr shared_ptr weak_ptr function size_type iterator",
     u"true false nullptr NULL this", u"class struct enum union namespace typename concept", nullptr},
    {u"csharp", u"cs csharp c# cake", Kind::Generic,
     DQuote | SQuote | CsStrings | Preprocessor | Functions | CamelTypes, u"//", nullptr, u"/*", u"*/",
     u"abstract as base break case catch checked class const continue default delegate do else enum event explicit "
     u"extern finally fixed for foreach goto if implicit in interface internal is lock namespace new operator out "
     u"override params private protected public readonly ref return sealed sizeof stackalloc static struct switch "
     u"this throw try typeof unchecked unsafe using virtual volatile while async await var yield record init get set "
     u"value when where nameof partial global dynamic required file scoped",
     u"bool byte char decimal double float int long object sbyte short string uint ulong ushort void nint nuint",
     u"true false null", u"class struct interface enum record new namespace", nullptr},
    {u"java", u"java", Kind::Generic, DQuote | SQuote | Triple | Annotations | Functions | CamelTypes, u"//", nullptr,
     u"/*", u"*/",
     u"abstract assert break case catch class continue default do else enum extends final finally for goto if "
     u"implements import instanceof interface native new package private protected public return static strictfp "
     u"super switch synchronized this throw throws transient try volatile while var record sealed permits yield",
     u"boolean byte char double float int long short void", u"true false null",
     u"class interface enum extends implements new record throws", nullptr},
    {u"javascript", u"js javascript jsx mjs cjs node", Kind::Generic,
     DQuote | SQuote | Backtick | Functions | CamelTypes | IdentDollar, u"//", nullptr, u"/*", u"*/",
     u"async await break case catch class const continue debugger default delete do else export extends finally for "
     u"function if import in instanceof let new of return static super switch this throw try typeof var void while "
     u"with yield get set from as",
     u"console window document globalThis", u"true false null undefined NaN Infinity", u"class extends new",
     u"function"},
    {u"typescript", u"ts typescript tsx mts cts", Kind::Generic,
     DQuote | SQuote | Backtick | Functions | CamelTypes | IdentDollar | Annotations, u"//", nullptr, u"/*", u"*/",
     u"async await break case catch class const continue debugger default delete do else export extends finally for "
     u"function if import in instanceof let new of return static super switch this throw try typeof var void while "
     u"with yield get set from as type interface enum implements declare namespace module abstract private "
     u"protected public readonly keyof infer is asserts satisfies override",
     u"string number boolean any unknown never object bigint symbol console window document globalThis",
     u"true false null undefined NaN Infinity", u"class extends new interface type enum implements", u"function"},
    {u"python", u"py python python3 py3 gyp ipython pyw sage bazel bzl starlark", Kind::Generic,
     DQuote | SQuote | Triple | PyPrefix | Annotations | Functions | CamelTypes, u"#", nullptr, nullptr, nullptr,
     u"and as assert async await break class continue def del elif else except finally for from global if import in "
     u"is lambda nonlocal not or pass raise return try while with yield match case",
     u"int float str bytes bool list dict set frozenset tuple object type complex bytearray print len range "
     u"enumerate zip map filter sorted reversed open isinstance issubclass super min max sum abs any all iter next "
     u"repr hash id input getattr setattr hasattr property staticmethod classmethod",
     u"True False None self cls NotImplemented Ellipsis __name__", u"class", u"def"},
    {u"rust", u"rs rust", Kind::Generic,
     DQuote | SQuote | MultiLineDQ | RustStrings | RustAttr | Functions | CamelTypes | NestedComments, u"//", nullptr,
     u"/*",
     u"*/",
     u"as async await break const continue crate dyn else enum extern fn for if impl in let loop match mod move mut "
     u"pub ref return self Self static struct super trait type unsafe use where while union macro_rules",
     u"bool char str u8 u16 u32 u64 u128 usize i8 i16 i32 i64 i128 isize f32 f64",
     u"true false None Some Ok Err", u"struct enum trait type union", u"fn"},
    {u"go", u"go golang", Kind::Generic, DQuote | SQuote | BacktickRaw | Functions, u"//", nullptr, u"/*", u"*/",
     u"break case chan const continue default defer else fallthrough for func go goto if import interface map "
     u"package range return select struct switch type var",
     u"bool byte complex64 complex128 error float32 float64 int int8 int16 int32 int64 rune string uint uint8 "
     u"uint16 uint32 uint64 uintptr any",
     u"true false nil iota", u"type", u"func"},
    {u"swift", u"swift", Kind::Generic, DQuote | Triple | Annotations | Functions | CamelTypes | NestedComments,
     u"//", nullptr, u"/*", u"*/",
     u"associatedtype class deinit enum extension fileprivate func import init inout internal let open operator "
     u"private protocol public rethrows static struct subscript typealias var break case continue default defer do "
     u"else fallthrough for guard if in repeat return switch where while as catch is super throw throws try async "
     u"await some any mutating nonmutating override final lazy weak unowned convenience required actor",
     u"Int Double Float Bool String Character Void Any", u"true false nil self Self",
     u"class struct enum protocol extension actor", u"func"},
    {u"kotlin", u"kt kotlin kts", Kind::Generic,
     DQuote | SQuote | Triple | Annotations | Functions | CamelTypes | NestedComments, u"//", nullptr, u"/*", u"*/",
     u"as break class continue do else for fun if in interface is object package return super this throw try "
     u"typealias typeof val var when while by catch constructor finally get import init set where actual abstract "
     u"annotation companion const crossinline data enum expect external final infix inline inner internal lateinit "
     u"noinline open operator out override private protected public reified sealed suspend tailrec vararg",
     u"Int Long Short Byte Double Float Boolean Char String Unit Any Nothing", u"true false null",
     u"class interface object", u"fun"},
    {u"scala", u"scala sc", Kind::Generic,
     DQuote | SQuote | Triple | Annotations | Functions | CamelTypes | NestedComments, u"//", nullptr, u"/*", u"*/",
     u"abstract case catch class def do else extends final finally for forSome if implicit import lazy match new "
     u"object override package private protected return sealed super this throw trait try type val var while with "
     u"yield given using then enum export",
     u"Int Long Short Byte Double Float Boolean Char String Unit Any Nothing", u"true false null",
     u"class trait object extends with new type", u"def"},
    {u"dart", u"dart", Kind::Generic, DQuote | SQuote | Triple | Annotations | Functions | CamelTypes, u"//", nullptr,
     u"/*", u"*/",
     u"abstract as assert async await break case catch class const continue covariant default deferred do dynamic "
     u"else enum export extends extension external factory final finally for get if implements import in interface "
     u"is late library mixin new on operator part required rethrow return set show static super switch sync this "
     u"throw try typedef var while with yield",
     u"int double num bool void String List Map Set", u"true false null", u"class extends implements with new enum",
     nullptr},
    {u"php", u"php php3 php4 php5 php8", Kind::Generic, DQuote | SQuote | Dollar | PhpTags | Functions | CamelTypes,
     u"//", u"#",
     u"/*", u"*/",
     u"abstract and array as break callable case catch class clone const continue declare default do echo else "
     u"elseif empty enddeclare endfor endforeach endif endswitch endwhile extends final finally fn for foreach "
     u"function global goto if implements include include_once instanceof insteadof interface isset list match "
     u"namespace new or print private protected public readonly require require_once return static switch throw "
     u"trait try unset use var while xor yield",
     u"int float string bool void mixed never object iterable", u"true false null TRUE FALSE NULL",
     u"class interface trait extends implements new", u"function fn"},
    {u"ruby", u"rb ruby gemspec podspec rake erb", Kind::Generic,
     DQuote | SQuote | Annotations | Functions | CamelTypes, u"#", nullptr, nullptr, nullptr,
     u"alias and begin break case class def defined? do else elsif end ensure for if in module next not or redo "
     u"rescue retry return super then undef unless until when while yield require require_relative include extend "
     u"attr_accessor attr_reader attr_writer private protected public raise puts lambda proc",
     nullptr, u"true false nil self", u"class module", u"def"},
    {u"lua", u"lua luau", Kind::Generic, DQuote | SQuote | Functions, u"--", nullptr, u"--[[", u"]]",
     u"and break do else elseif end for function goto if in local not or repeat return then until while", nullptr,
     u"true false nil self", nullptr, u"function"},
    {u"shell", u"sh bash shell zsh ksh fish console shell-session shellsession terminal shellscript bat cmd "
               u"powershell ps1 pwsh",
     Kind::Generic,
     DQuote | SQuote | BacktickRaw | MultiLineDQ | MultiLineSQ | NoEscapesSQ | HashNeedsSpace | ShellWords | Dollar,
     u"#", nullptr, nullptr, nullptr,
     u"if then else elif fi case esac for select while until do done in function time coproc return exit break "
     u"continue local export readonly declare typeset unset shift source alias sudo",
     nullptr, u"true false", nullptr, nullptr},
    {u"dockerfile", u"dockerfile docker containerfile", Kind::Generic,
     DQuote | SQuote | MultiLineDQ | NoEscapesSQ | HashNeedsSpace | ShellWords | Dollar, u"#", nullptr, nullptr,
     nullptr,
     u"FROM RUN CMD LABEL MAINTAINER EXPOSE ENV ADD COPY ENTRYPOINT VOLUME USER WORKDIR ARG ONBUILD STOPSIGNAL "
     u"HEALTHCHECK SHELL AS if then else elif fi for while do done in",
     nullptr, nullptr, nullptr, nullptr},
    {u"makefile", u"make makefile mk mak cmake", Kind::Generic,
     DQuote | SQuote | HashNeedsSpace | Dollar | Functions | CaseInsensitive, u"#", nullptr, nullptr, nullptr,
     u"if else elseif endif ifeq ifneq ifdef ifndef include define endef export override foreach endforeach "
     u"function endfunction macro endmacro while endwhile return set option project",
     nullptr, u"on off true false yes no", nullptr, nullptr},
    {u"sql", u"sql mysql postgresql postgres psql plpgsql sqlite plsql tsql mssql mariadb", Kind::Generic,
     SQuote | DQuote | DoubledQuotes | NoEscapesSQ | CaseInsensitive | Functions, u"--", nullptr, u"/*", u"*/",
     u"select from where and or not insert into values update set delete create table drop alter add column primary "
     u"key foreign references index unique on join inner left right outer full cross natural using group by order "
     u"having limit offset as distinct union all except intersect case when then else end exists in between like "
     u"ilike is default check constraint view trigger procedure function returns return begin commit rollback "
     u"transaction with recursive if replace asc desc cascade grant revoke database schema explain analyze vacuum "
     u"pragma temporary temp autoincrement auto_increment over partition window rows range returning conflict do "
     u"nothing declare language security definer top fetch next only",
     u"int integer bigint smallint tinyint serial bigserial real double precision float numeric decimal char "
     u"varchar nvarchar text blob boolean bool date time timestamp timestamptz interval json jsonb uuid bytea",
     u"null true false", nullptr, nullptr},
    {u"json", u"json jsonc json5 geojson jsonl ndjson webmanifest ipynb", Kind::Generic, DQuote | SQuote | JsonKeys,
     u"//", nullptr, u"/*", u"*/", nullptr, nullptr, u"true false null NaN Infinity", nullptr, nullptr},
    {u"html", u"html htm xhtml xml svg xsd xsl xslt plist csproj vcxproj props xaml vue svelte rss atom wsdl ui",
     Kind::Markup, 0, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr},
    {u"css", u"css scss sass less stylus", Kind::Css, 0, u"//", nullptr, u"/*", u"*/",
     u"!important important auto none inherit initial unset revert block inline flex grid absolute relative fixed "
     u"sticky hidden visible solid dashed bold normal italic center left right top bottom",
     nullptr, nullptr, nullptr, nullptr},
    {u"diff", u"diff patch udiff", Kind::Diff, 0, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr,
     nullptr, nullptr},
    {u"yaml", u"yaml yml", Kind::Yaml, 0, u"#", nullptr, nullptr, nullptr, nullptr, nullptr,
     u"true false null yes no on off True False Null TRUE FALSE NULL Yes No ~", nullptr, nullptr},
    {u"ini", u"ini toml cfg conf properties editorconfig gitconfig desktop service env dotenv", Kind::Ini, 0, u"#",
     u";", nullptr, nullptr, nullptr, nullptr, u"true false", nullptr, nullptr},
    {u"text", u"text txt plain plaintext output log csv tsv none nohighlight md markdown rst tex latex", Kind::Plain,
     0, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr},
    // No tag: strings, numbers, comments and common keywords.
    {u"", u"", Kind::Generic, DQuote | SQuote | LoneApostrophe | Functions | HashNeedsSpace, u"//", u"#", u"/*", u"*/",
     u"if else elif foreach while return break continue switch function def fn func class struct enum interface "
     u"import export const let var val try catch except finally throw raise async await yield namespace",
     u"int float double bool string void char long", u"true false null nil None True False undefined", nullptr,
     nullptr},
};

#undef C_KEYWORDS
#undef C_TYPES

struct Registry
{
    std::vector<CodeLanguage> languages;
    QHash<QString, int> byAlias;
    const CodeLanguage *generic = nullptr;

    Registry()
    {
        languages.resize(std::size(Specs));
        for (size_t i = 0; i < std::size(Specs); ++i) {
            const LanguageSpec &s = Specs[i];
            CodeLanguage &l = languages[i];
            l.id = QString::fromUtf16(s.id);
            l.kind = s.kind;
            l.flags = s.flags;
            const auto view = [](const char16_t *p) { return p ? QStringView(p) : QStringView(); };
            l.lineComment = view(s.lineComment);
            l.lineComment2 = view(s.lineComment2);
            l.blockOpen = view(s.blockOpen);
            l.blockClose = view(s.blockClose);
            l.keywords.set(view(s.keywords));
            l.types.set(view(s.types));
            l.literals.set(view(s.literals));
            l.typeIntroducers.set(view(s.typeIntroducers));
            l.functionIntroducers.set(view(s.functionIntroducers));
            for (QStringView alias : view(s.aliases).split(u' ', Qt::SkipEmptyParts))
                byAlias.insert(alias.toString(), int(i));
        }
        generic = &languages.back();
    }

    const CodeLanguage *find(QStringView id) const
    {
        const auto it = byAlias.constFind(id.toString());
        return it == byAlias.cend() ? nullptr : &languages[size_t(*it)];
    }
};

const Registry &registry()
{
    static const Registry r;
    return r;
}

} // namespace

// The language a first line of code suggests, for blocks without a tag.
QStringView guessLanguage(QStringView line)
{
    const QStringView t = line.trimmed();
    const auto starts = [&](QStringView p) { return t.startsWith(p); };
    const auto startsCi = [&](QStringView p) { return t.startsWith(p, Qt::CaseInsensitive); };
    if (starts(u"#!"))
        return t.contains(u"python") ? u"python" : t.contains(u"node") ? u"javascript" : u"shell";
    if (starts(u"<?php"))
        return u"php";
    if (starts(u"<"))
        return u"html";
    if (starts(u"diff --git") || starts(u"--- ") || starts(u"+++ ") || starts(u"@@ ") || starts(u"Index: "))
        return u"diff";
    if (starts(u"{"))
        return u"json";
    if (starts(u"[")) {
        const QStringView rest = t.mid(1).trimmed();
        return rest.isEmpty() || rest.front() == u'{' || rest.front() == u'"' || rest.front() == u'['
                || isAsciiDigit(rest.front()) || rest.front() == u'-'
            ? u"json"
            : u"ini";
    }
    if (starts(u"$ ") || starts(u"sudo ") || starts(u"npm ") || starts(u"pip ") || starts(u"git ")
        || starts(u"cd ") || starts(u"apt ") || starts(u"apt-get ") || starts(u"brew ") || starts(u"cargo ")
        || starts(u"docker ") || starts(u"curl ") || starts(u"export ") || starts(u"echo "))
        return u"shell";
    if (startsCi(u"select ") || startsCi(u"insert ") || startsCi(u"create table") || startsCi(u"update ")
        || startsCi(u"with ") || startsCi(u"delete from") || startsCi(u"alter table"))
        return u"sql";
    if (starts(u"#include") || starts(u"#pragma") || starts(u"#define") || starts(u"template<")
        || starts(u"template <"))
        return u"cpp";
    if (starts(u"def ") || starts(u"from ") || (starts(u"import ") && !t.endsWith(u';') && !t.contains(u'{')
                                                && !t.contains(u'"') && !t.contains(u'\'')))
        return u"python";
    if (starts(u"fn ") || starts(u"use ") || starts(u"pub ") || starts(u"let mut ") || starts(u"#["))
        return u"rust";
    if (starts(u"func ") || (starts(u"package ") && !t.endsWith(u';')))
        return u"go";
    if (starts(u"package ") || starts(u"public ") || starts(u"private ") || starts(u"@"))
        return u"java";
    if (starts(u"using ") || starts(u"namespace "))
        return u"csharp";
    if (starts(u"import ") || starts(u"const ") || starts(u"let ") || starts(u"function ") || starts(u"export ")
        || starts(u"async ") || starts(u"var "))
        return u"javascript";
    if (starts(u"---") || (t.contains(u": ") && !t.contains(u'(') && !t.contains(u';') && !t.contains(u'{')))
        return u"yaml";
    return {};
}

const CodeLanguage *findLanguage(QStringView id)
{
    return registry().find(id);
}

const CodeLanguage *genericLanguage()
{
    return registry().generic;
}

} // namespace CodeLexing
