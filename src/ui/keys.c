/*
 * keys: the key table (see keys.h).  Rows that share a help text are
 * written one after another; the help screen joins their labels.
 */
#include "config.h"

#include <curses.h>

#include "ui/keys.h"

#define CTRL(c) ((c)&0x1f)

const struct key_binding keys_table[] = {
	{ ' ', 0, ACT_TOGGLE, KEYMAP_ITEM, "Space", "実施済み/未実施を切り替え" },
	{ 'x', 0, ACT_TOGGLE, KEYMAP_ITEM, "x", NULL },
	{ '-', 0, ACT_NA, KEYMAP_ITEM, "-", "該当しない にする/戻す" },
	{ 'e', 0, ACT_NOTE, KEYMAP_ITEM, "e", "メモ・担当・期限を書く (Tab で欄を移動)" },
	{ 'v', 0, ACT_CONFIRM, KEYMAP_ITEM, "v", "回答を変えずに確認済みにする (未確認の印 ? を消す)" },
	{ 'i', 0, ACT_EXPLAIN, KEYMAP_ITEM, "i", "(自社診断) 設問の解説: なぜ大切か、改善の第一歩" },
	{ '1', 0, ACT_ANSWER_1, KEYMAP_ITEM, "1", "(自社診断) 実施している" },
	{ '2', 0, ACT_ANSWER_2, KEYMAP_ITEM, "2", "(自社診断) 一部実施している" },
	{ '3', 0, ACT_ANSWER_3, KEYMAP_ITEM, "3", "(自社診断) 実施していない" },
	{ '4', 0, ACT_ANSWER_4, KEYMAP_ITEM, "4", "(自社診断) わからない" },
	{ '0', 0, ACT_CLEAR, KEYMAP_ITEM, "0", "回答を消して未回答に戻す" },
	{ KEY_DC, 1, ACT_CLEAR, KEYMAP_ITEM, "Del", NULL },

	{ 'n', 0, ACT_SEARCH_NEXT, KEYMAP_SEARCH, "n", "次の検索結果へ" },
	{ 'N', 0, ACT_SEARCH_PREV, KEYMAP_SEARCH, "N", "前の検索結果へ" },
	{ 27, 0, ACT_CANCEL, KEYMAP_SEARCH, "Esc", "検索結果の表示をやめる" },

	{ '\n', 0, ACT_FOLLOW, KEYMAP_SESSIONS, "Enter", "選んだセッションを開く" },
	{ 'N', 0, ACT_NEW_EMPTY, KEYMAP_SESSIONS, "N", "空の新しいセッション" },
	{ 'C', 0, ACT_NEW_CARRY, KEYMAP_SESSIONS, "C", "今の回答を引き継いだ新しいセッション" },
	{ 'D', 0, ACT_DELETE, KEYMAP_SESSIONS, "D", "選んだセッションを削除 (確認あり)" },
	{ 'E', 0, ACT_REOPEN, KEYMAP_SESSIONS, "E", "過去のセッションを編集できるように開く (確認あり)" },

	{ 's', 0, ACT_SORT, KEYMAP_OWNERS, "s", "期限順と担当順を切り替え" },

	{ 'R', 0, ACT_REPORT, KEYMAP_DASHBOARD, "R",
	  "レポートを書く (text/md/html/csv; 上司や取引先に渡す報告書)" },

	{ 'h', 0, ACT_BACK, KEYMAP_CONTENTS, "h", "ページから開いた目次を閉じてそのページへ戻る" },
	{ KEY_BACKSPACE, 1, ACT_BACK, KEYMAP_CONTENTS, "BS", NULL },
	{ 127, 0, ACT_BACK, KEYMAP_CONTENTS, "BS", NULL },
	{ CTRL('h'), 0, ACT_BACK, KEYMAP_CONTENTS, "BS", NULL },
	{ 27, 0, ACT_CANCEL, KEYMAP_CONTENTS, "Esc", NULL },

	{ KEY_RIGHT, 1, ACT_NEXT_PAGE, KEYMAP_READER, "Right", "次のページへ" },
	{ 'n', 0, ACT_NEXT_PAGE, KEYMAP_READER, "n", NULL },
	{ KEY_LEFT, 1, ACT_PREV_PAGE, KEYMAP_READER, "Left", "前のページへ" },
	{ 'p', 0, ACT_PREV_PAGE, KEYMAP_READER, "p", NULL },
	{ '\t', 0, ACT_NEXT_FOCUS, KEYMAP_READER, "Tab", "次のリンク・チェック項目へ" },
	{ KEY_BTAB, 1, ACT_PREV_FOCUS, KEYMAP_READER, "S-Tab", "前のリンク・チェック項目へ" },
	{ KEY_BACKSPACE, 1, ACT_BACK, KEYMAP_READER, "BS", "前に見ていた場所へ戻る" },
	{ 127, 0, ACT_BACK, KEYMAP_READER, "BS", NULL },
	{ CTRL('h'), 0, ACT_BACK, KEYMAP_READER, "BS", NULL },
	{ 'h', 0, ACT_BACK, KEYMAP_READER, "h", NULL },
	{ 'c', 0, ACT_FIRST_ITEM, KEYMAP_READER, "c", "このページの最初のチェック項目へ" },

	{ KEY_DOWN, 1, ACT_DOWN, KEYMAP_LIST, "Down", "1行下へ (一覧では次の行へ)" },
	{ 'j', 0, ACT_DOWN, KEYMAP_LIST, "j", NULL },
	{ KEY_UP, 1, ACT_UP, KEYMAP_LIST, "Up", "1行上へ (一覧では前の行へ)" },
	{ 'k', 0, ACT_UP, KEYMAP_LIST, "k", NULL },
	{ KEY_NPAGE, 1, ACT_PAGE_DOWN, KEYMAP_LIST, "PgDn", "1画面下へ" },
	{ ' ', 0, ACT_PAGE_DOWN, KEYMAP_LIST, "Space", NULL },
	{ CTRL('f'), 0, ACT_PAGE_DOWN, KEYMAP_LIST, "C-f", NULL },
	{ KEY_PPAGE, 1, ACT_PAGE_UP, KEYMAP_LIST, "PgUp", "1画面上へ" },
	{ 'b', 0, ACT_PAGE_UP, KEYMAP_LIST, "b", NULL },
	{ CTRL('b'), 0, ACT_PAGE_UP, KEYMAP_LIST, "C-b", NULL },
	{ KEY_HOME, 1, ACT_TOP, KEYMAP_LIST, "Home", "先頭へ" },
	{ 'g', 0, ACT_TOP, KEYMAP_LIST, "g", NULL },
	{ KEY_END, 1, ACT_BOTTOM, KEYMAP_LIST, "End", "末尾へ" },
	{ 'G', 0, ACT_BOTTOM, KEYMAP_LIST, "G", NULL },
	{ '\n', 0, ACT_FOLLOW, KEYMAP_LIST, "Enter", "リンク先・選んだページを開く" },
	{ '\r', 0, ACT_FOLLOW, KEYMAP_LIST, "Enter", NULL },
	{ KEY_ENTER, 1, ACT_FOLLOW, KEYMAP_LIST, "Enter", NULL },

	{ '/', 0, ACT_SEARCH, KEYMAP_GLOBAL, "/", "全ページを検索 (空のまま Enter で前回の検索)" },
	{ CTRL('l'), 0, ACT_REDRAW, KEYMAP_GLOBAL, "C-l", "画面を描き直す" },
	{ 'q', 0, ACT_QUIT, KEYMAP_GLOBAL, "q", "この画面を閉じて前の画面へ (最初の画面では終了)" },
	{ 27, 0, ACT_CANCEL, KEYMAP_GLOBAL, "Esc", NULL },
	{ 0, 0, ACT_NONE, KEYMAP_END, NULL, NULL }
};

const char *keys_keymap_title(enum keymap km)
{
	switch (km) {
	case KEYMAP_ITEM:
		return "チェック項目を選んでいるとき";
	case KEYMAP_SEARCH:
		return "検索結果を表示しているとき";
	case KEYMAP_SESSIONS:
		return "セッション一覧";
	case KEYMAP_DASHBOARD:
		return "進捗ダッシュボード";
	case KEYMAP_CONTENTS:
		return "目次";
	case KEYMAP_OWNERS:
		return "担当と期限";
	case KEYMAP_READER:
		return "ページを読んでいるとき";
	case KEYMAP_LIST:
		return "移動 (ページと一覧)";
	case KEYMAP_GLOBAL:
		return "どの画面でも";
	default:
		return "";
	}
}

enum action keys_lookup(int key, int is_keycode, enum keymap km)
{
	for (const struct key_binding *b = keys_table; b->key; b++)
		if (b->key == key && b->is_keycode == is_keycode && b->keymap == km)
			return b->action;
	return ACT_NONE;
}
