/*
 * keys: the key table (see keys.h).  Rows that share a help text are
 * written one after another; the help screen joins their labels.
 */
#include "config.h"

#include <curses.h>

#include "ui/keys.h"

#define CTRL(c) ((c) & 0x1f)

const struct key_binding keys_table[] = {
	{ KEY_DOWN, 1, ACT_DOWN, KS_ALL, "Down", "1行下へ (目次では次の項目へ)" },
	{ 'j', 0, ACT_DOWN, KS_ALL, "j", NULL },
	{ KEY_UP, 1, ACT_UP, KS_ALL, "Up", "1行上へ (目次では前の項目へ)" },
	{ 'k', 0, ACT_UP, KS_ALL, "k", NULL },
	{ KEY_NPAGE, 1, ACT_PAGE_DOWN, KS_ALL, "PgDn", "1画面下へ" },
	{ ' ', 0, ACT_PAGE_DOWN, KS_ALL, "Space", NULL },
	{ CTRL('f'), 0, ACT_PAGE_DOWN, KS_ALL, "C-f", NULL },
	{ KEY_PPAGE, 1, ACT_PAGE_UP, KS_ALL, "PgUp", "1画面上へ" },
	{ 'b', 0, ACT_PAGE_UP, KS_ALL, "b", NULL },
	{ CTRL('b'), 0, ACT_PAGE_UP, KS_ALL, "C-b", NULL },
	{ KEY_HOME, 1, ACT_TOP, KS_ALL, "Home", "先頭へ" },
	{ 'g', 0, ACT_TOP, KS_ALL, "g", NULL },
	{ KEY_END, 1, ACT_BOTTOM, KS_ALL, "End", "末尾へ" },
	{ 'G', 0, ACT_BOTTOM, KS_ALL, "G", NULL },
	{ KEY_RIGHT, 1, ACT_NEXT_PAGE, KS_PAGE, "Right", "次のページへ" },
	{ 'n', 0, ACT_NEXT_PAGE, KS_PAGE, "n", NULL },
	{ KEY_LEFT, 1, ACT_PREV_PAGE, KS_PAGE, "Left", "前のページへ" },
	{ 'p', 0, ACT_PREV_PAGE, KS_PAGE, "p", NULL },
	{ '\t', 0, ACT_NEXT_FOCUS, KS_PAGE, "Tab", "次のリンク・チェック項目へ" },
	{ KEY_BTAB, 1, ACT_PREV_FOCUS, KS_PAGE, "S-Tab", "前のリンク・チェック項目へ" },
	{ '\n', 0, ACT_FOLLOW, KS_CONTENTS | KS_PAGE | KS_DASHBOARD | KS_SESSIONS, "Enter", "リンク先・選んだページやセッションを開く" },
	{ '\r', 0, ACT_FOLLOW, KS_CONTENTS | KS_PAGE | KS_DASHBOARD | KS_SESSIONS, "Enter", NULL },
	{ KEY_ENTER, 1, ACT_FOLLOW, KS_CONTENTS | KS_PAGE | KS_DASHBOARD | KS_SESSIONS, "Enter", NULL },
	{ KEY_BACKSPACE, 1, ACT_BACK, KS_PAGE, "BS", "前に見ていた場所へ戻る" },
	{ 127, 0, ACT_BACK, KS_PAGE, "BS", NULL },
	{ CTRL('h'), 0, ACT_BACK, KS_PAGE, "BS", NULL },
	{ 'h', 0, ACT_BACK, KS_PAGE, "h", NULL },
	{ 't', 0, ACT_CONTENTS, KS_PAGE | KS_HELP | KS_DASHBOARD | KS_SESSIONS, "t", "目次を開く" },
	{ '/', 0, ACT_SEARCH, KS_CONTENTS | KS_PAGE, "/", "全ページを検索 (検索中は n/N で次/前)" },
	{ 'n', 0, ACT_SEARCH_NEXT, KS_SEARCH, "n", NULL },
	{ 'N', 0, ACT_SEARCH_PREV, KS_SEARCH, "N", NULL },
	{ 'c', 0, ACT_FIRST_ITEM, KS_PAGE, "c", "このページの最初のチェック項目へ" },
	{ ' ', 0, ACT_TOGGLE, KS_ITEM, "Space", "(項目を選んでいるとき) 実施済み/未実施を切り替え" },
	{ 'x', 0, ACT_TOGGLE, KS_ITEM, "x", NULL },
	{ '-', 0, ACT_NA, KS_ITEM, "-", "(項目を選んでいるとき) 該当しない にする/戻す" },
	{ 'e', 0, ACT_NOTE, KS_ITEM, "e", "(項目を選んでいるとき) メモを書く" },
	{ '1', 0, ACT_ANSWER_1, KS_ITEM, "1", "(自社診断) 実施している" },
	{ '2', 0, ACT_ANSWER_2, KS_ITEM, "2", "(自社診断) 一部実施している" },
	{ '3', 0, ACT_ANSWER_3, KS_ITEM, "3", "(自社診断) 実施していない" },
	{ '4', 0, ACT_ANSWER_4, KS_ITEM, "4", "(自社診断) わからない" },
	{ 'P', 0, ACT_DASHBOARD, KS_CONTENTS | KS_PAGE | KS_SESSIONS, "P", "進捗ダッシュボード" },
	{ 'S', 0, ACT_SESSIONS, KS_CONTENTS | KS_PAGE | KS_DASHBOARD, "S", "セッション (回答ファイル) の一覧" },
	{ 'N', 0, ACT_NEW_EMPTY, KS_SESSIONS, "N", "(セッション一覧) 空の新しいセッション" },
	{ 'C', 0, ACT_NEW_CARRY, KS_SESSIONS, "C", "(セッション一覧) 今の回答を引き継いだ新しいセッション" },
	{ 27, 0, ACT_CANCEL, KS_PAGE | KS_HELP | KS_DASHBOARD | KS_SESSIONS, "Esc", "検索をやめる・ヘルプなどを閉じる" },
	{ CTRL('l'), 0, ACT_REDRAW, KS_ALL, "C-l", "画面を描き直す" },
	{ '?', 0, ACT_HELP, KS_CONTENTS | KS_PAGE | KS_DASHBOARD | KS_SESSIONS, "?", "このヘルプ" },
	{ 'q', 0, ACT_QUIT, KS_ALL, "q", "終了 (ヘルプ・進捗・セッション一覧では閉じる)" },
	{ 0, 0, ACT_NONE, 0, NULL, NULL }
};

enum action keys_lookup(int key, int is_keycode, unsigned screen)
{
	for (const struct key_binding *b = keys_table; b->key; b++)
		if (b->key == key && b->is_keycode == is_keycode && (b->screens & screen))
			return b->action;
	return ACT_NONE;
}
