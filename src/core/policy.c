/*
 * policy: the 情報セキュリティ基本方針 draft (see policy.h).  The wording
 * is ours: it follows the order of the guideline's 付録2 sample, not its
 * sentences.  The text variant is wrapped here with layout_wrap, so the
 * same kinsoku rules as --dump hold; the Markdown variant leaves a
 * paragraph on one line, because renderers join the lines of a paragraph
 * with a space, which shows as a gap in Japanese.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/layout.h"
#include "core/policy.h"
#include "core/text.h"
#include "core/util.h"

/* The note on top: its first line, then its points. */
static const char policy_note_title[] = "【下書き】この注意書きは、公開する前に削除してください。";

static const char *const policy_note_items[] = {
	"これは、mamori が作った情報セキュリティ基本方針の下書きです。自社の実情に合わせて言葉を選び直し、"
	"足りないことを書き加えてください。",
	"IPA『中小企業の情報セキュリティ対策ガイドライン』付録2 の基本方針のひな形を参考に作成しました。"
	"見出しはひな形に沿っていますが、文章は独自のものです。",
	"【】で囲んだところは、自社の内容に書き換えてください。日付は、実際に定めた日にしてください。",
	"基本方針は、定めて終わりではありません。従業員全員に知らせ、ウェブサイトへの掲載などで社外にも"
	"公開してください。",
	"SECURITY ACTION の二つ星を宣言するには、「5分でできる！情報セキュリティ自社診断」で自社の現状を"
	"確かめ、そのうえで基本方針を定めて公開することが必要です。",
};

static const char policy_title[] = "情報セキュリティ基本方針";

/* The preamble; %s is the company. */
static const char policy_preamble[] =
	"%s（以下「当社」）は、お客様や取引先から託された情報と、事業を続けるために欠かせない自社の"
	"情報を、大切な経営資源と考えています。これらの情報を、漏えい、改ざん、紛失や、災害、故障、"
	"サイバー攻撃などから守り、寄せられた信頼に応えるため、次の方針を定めて全社で取り組みます。";

/* The five headings of 付録2's sample, in its order, each with our text. */
static const struct {
	const char *heading, *body;
} policy_sections[] = {
	{ "経営者の責任",
	  "当社の経営者は、情報セキュリティを経営の責任として自ら主導します。対策に必要な人と予算を確保し、"
	  "取り組みが一度きりで終わらず続くようにします。" },
	{ "社内体制の整備",
	  "当社は、情報セキュリティの責任者として【責任者の役職と氏名】を置き、対策を進める体制を整えます。"
	  "守るべき情報とその扱い方を社内の決まりとして定め、その実施状況を定期的に確かめて、改めるべき点を"
	  "改めます。" },
	{ "従業員の取り組み",
	  "当社で働く一人ひとりは、情報を扱ううえでの決まりを理解して守り、日々の業務の中で情報セキュリティ"
	  "に気を配ります。当社は、そのために必要な知識を身につける教育と、注意の呼びかけを続けます。" },
	{ "法令・契約上の要求事項の遵守",
	  "当社は、個人情報の保護に関する法律をはじめとする、情報の取り扱いに関わる法令と業界の規範を守り"
	  "ます。お客様や取引先との契約で求められた情報の管理も、約束どおりに行います。" },
	{ "違反・事故への対応",
	  "当社は、法令や契約、社内の決まりへの違反や、情報の漏えいなどの事故が起きたとき、または起きた"
	  "おそれがあるときは、速やかに事実を確かめ、被害が広がらないよう手を打ちます。お客様や関係機関への"
	  "連絡と報告を適切に行い、原因を取り除いて再発を防ぎます。決まりに違反した者には、就業規則などに"
	  "基づいて対処します。" },
};

/* The text variant's indentation of a section's body, under "1. ". */
#define POLICY_BODY_INDENT "   "
/* The longest rule of dashes around the note. */
#define POLICY_RULE_MAX 72

struct policy_out {
	struct buf b;
	enum policy_format format;
	int width;
};

/*
 * Append text as lines of at most o->width columns: the first line after
 * first, the others after rest (both ASCII spaces or a marker).
 */
static void policy_wrap(struct policy_out *o, const char *text, const char *first, const char *rest)
{
	size_t pw = strlen(first) > strlen(rest) ? strlen(first) : strlen(rest);
	size_t avail = (size_t)o->width > pw ? (size_t)o->width - pw : 1;
	struct wrap_line *lines = NULL;
	size_t n = layout_wrap(text, strlen(text), avail, &lines);

	for (size_t i = 0; i < n; i++)
		buf_printf(&o->b, "%s%.*s\n", i ? rest : first, (int)lines[i].len, text + lines[i].start);
	if (n == 0)
		buf_printf(&o->b, "%s\n", first);
	free(lines);
}

static void policy_rule(struct policy_out *o, char c, size_t cols)
{
	for (size_t i = 0; i < cols; i++)
		buf_addc(&o->b, c);
	buf_addc(&o->b, '\n');
}

/* A paragraph (text: wrapped, indented by indent; Markdown: one line), then a blank line. */
static void policy_para(struct policy_out *o, const char *text, const char *indent)
{
	if (o->format == POLICY_TEXT)
		policy_wrap(o, text, indent, indent);
	else
		buf_printf(&o->b, "%s\n", text);
	buf_addc(&o->b, '\n');
}

/*
 * s made visible (text_sanitize) and, for Markdown, with the ASCII
 * punctuation that could start markup escaped, so a company named
 * "*A* <b>" is shown as typed (the name starts the signature's line).  NULL or "" gives placeholder.  Caller frees.
 */
static char *policy_field(const struct policy_out *o, const char *s, const char *placeholder)
{
	if (!s || !*s)
		return xstrdup(placeholder);
	char *safe = text_sanitize(s, strlen(s));
	if (o->format != POLICY_MARKDOWN)
		return safe;
	struct buf b = { 0 };
	for (const char *p = safe; *p; p++) {
		/* Inline markup anywhere; a list, heading or quote only at the start of a line. */
		if (strchr("\\`*_[]<>|~&", *p) || (p == safe && strchr("#+-=>", *p)))
			buf_addc(&b, '\\');
		buf_addc(&b, *p);
	}
	free(safe);
	return buf_take(&b);
}

static void policy_note(struct policy_out *o)
{
	size_t n = sizeof policy_note_items / sizeof policy_note_items[0];

	if (o->format == POLICY_MARKDOWN) {
		buf_printf(&o->b, "> **%s**\n>\n", policy_note_title);
		for (size_t i = 0; i < n; i++)
			buf_printf(&o->b, "> - %s\n", policy_note_items[i]);
		buf_addc(&o->b, '\n');
		return;
	}
	size_t rule = o->width < POLICY_RULE_MAX ? (size_t)o->width : POLICY_RULE_MAX;
	policy_rule(o, '-', rule);
	policy_wrap(o, policy_note_title, "", "");
	for (size_t i = 0; i < n; i++)
		policy_wrap(o, policy_note_items[i], "- ", "  ");
	policy_rule(o, '-', rule);
	buf_addc(&o->b, '\n');
}

char *policy_draft(const struct policy_input *in)
{
	struct policy_out o = { { 0 }, in->format, in->width ? in->width : POLICY_DEFAULT_WIDTH };
	if (o.width < LAYOUT_MIN_WIDTH)
		o.width = LAYOUT_MIN_WIDTH;
	char *company = policy_field(&o, in->company, POLICY_PH_COMPANY);
	char *rep = policy_field(&o, in->representative, POLICY_PH_REPRESENTATIVE);
	int md = o.format == POLICY_MARKDOWN;

	policy_note(&o);

	if (md) {
		buf_printf(&o.b, "# %s\n\n", policy_title);
	} else {
		policy_wrap(&o, policy_title, "", "");
		size_t w = text_width(policy_title, strlen(policy_title));
		policy_rule(&o, '=', w < (size_t)o.width ? w : (size_t)o.width);
		buf_addc(&o.b, '\n');
	}

	char *pre = xasprintf(policy_preamble, company);
	policy_para(&o, pre, "");
	free(pre);

	for (size_t i = 0; i < sizeof policy_sections / sizeof policy_sections[0]; i++) {
		char *h = xasprintf("%zu. %s", i + 1, policy_sections[i].heading);
		if (md)
			buf_printf(&o.b, "## %s\n\n", h);
		else
			policy_wrap(&o, h, "", POLICY_BODY_INDENT);
		free(h);
		policy_para(&o, policy_sections[i].body, POLICY_BODY_INDENT);
	}

	/* Date, company, representative: three lines (hard breaks in Markdown). */
	char *date = xasprintf("%d年%d月%d日 制定", in->year, in->month, in->day);
	const char *sig[] = { date, company, rep };
	for (size_t i = 0; i < 3; i++) {
		if (md)
			buf_printf(&o.b, "%s%s\n", sig[i], i < 2 ? "\\" : "");
		else
			policy_wrap(&o, sig[i], "", "");
	}
	free(date);
	free(company);
	free(rep);
	return buf_take(&o.b);
}
