#!/usr/bin/env node
/*
 * Telegram Bot API emulator for Fishbot's end-to-end tests.
 *
 * Runs the `telegram-test-api` TelegramServer (pinned in package.json) with the
 * fixes python-telegram-bot (PTB) v22 needs, applied at runtime (node_modules is
 * never edited), plus a small JSON "control API" on a second port through which
 * the Python tests act as Telegram users.
 *
 *   node harness.js [--port 9000] [--host 127.0.0.1] [--control-port 9001] [--state-file F]
 *   (or env PORT, HOST, CONTROL_PORT, STATE_FILE; arguments win)
 *
 * Prints exactly one line `READY <port>` on stdout once both ports listen.
 * SIGTERM/SIGINT: answers pending long polls, writes STATE_FILE (if set), closes.
 * With WATCH_STDIN=1 it also exits when stdin closes, so a crashed parent
 * (the Python test process) never leaves an orphan emulator holding the port.
 *
 * Bot API: the bot uses base_url http://HOST:PORT/bot  (PTB calls {base_url}{token}/{method})
 *          and base_file_url http://HOST:PORT/file/bot for getFile downloads.
 * Control API: see the table near `controlRoutes` below.
 */
'use strict';

const fs = require('fs');
const http = require('http');

const TelegramServer = require('telegram-test-api');
// The route lists are read by the TelegramServer constructor through these
// module objects (`index_1.routes`), so replacing entries before `new` is enough.
const routesIndex = require('telegram-test-api/lib/routes/index');
const libBot = {
  getMe: require('telegram-test-api/lib/routes/bot/getMe').getMe,
  getUpdates: require('telegram-test-api/lib/routes/bot/getUpdates').getUpdates,
  sendMessage: require('telegram-test-api/lib/routes/bot/sendMessage').sendMessage,
  editMessageText: require('telegram-test-api/lib/routes/bot/editMessageText').editMessageText,
  editMessageReplyMarkup: require('telegram-test-api/lib/routes/bot/editMessageReplyMarkup').editMessageReplyMarkup,
  answerCallbackQuery: require('telegram-test-api/lib/routes/bot/answerCallbackQuery').answerCallbackQuery,
  deleteMessage: require('telegram-test-api/lib/routes/bot/deleteMessage').deleteMessage,
  setWebhook: require('telegram-test-api/lib/routes/bot/setWebhook').setWebhook,
  deleteWebhook: require('telegram-test-api/lib/routes/bot/deleteWebhook').deleteWebhook,
  unknownMethod: require('telegram-test-api/lib/routes/bot/unknownMethod').unknownMethod,
};
const libClient = {
  sendCallback: require('telegram-test-api/lib/routes/client/sendCallback').sendCallback,
};
// Same helper the library uses for its bot routes (GET/POST only, like Telegram).
const { handle } = require('telegram-test-api/lib/routes/bot/utils');

// ---------------------------------------------------------------- configuration

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m) continue;
    out[m[1]] = m[2] !== undefined ? m[2] : argv[++i];
  }
  return out;
}
const args = parseArgs(process.argv.slice(2));
const PORT = Number(args.port || process.env.PORT || 9000);
const HOST = args.host || process.env.HOST || '127.0.0.1';
const CONTROL_PORT = Number(args['control-port'] || process.env.CONTROL_PORT || PORT + 1);
const STATE_FILE = args['state-file'] || process.env.STATE_FILE || '';
const VERBOSE = process.env.HARNESS_VERBOSE === '1';
const BOT_USERNAME = process.env.BOT_USERNAME || 'TestNameBot'; // the library's getMe name

function log(...parts) {
  // stdout is reserved for the READY line; everything else goes to stderr.
  process.stderr.write(`[harness] ${parts.join(' ')}\n`);
}

// ---------------------------------------------------------------- small helpers

const nowSec = () => Math.floor(Date.now() / 1000);

/** Parameters of a Bot API call: PTB sends form fields, other clients JSON or a query string. */
const params = (req) => Object.assign({}, req.query, req.body);

/** PTB sends nested objects and booleans as JSON text inside form fields. */
function jsonField(value) {
  if (typeof value !== 'string') return value;
  try { return JSON.parse(value); } catch (_e) { return value; }
}
const truthy = (v) => v === true || v === 'true' || v === '1' || v === 1;

/** A Telegram-style failure: PTB maps the HTTP status to its exception (400 -> BadRequest). */
function tgError(res, code, description) {
  res.status(code).json({ ok: false, error_code: code, description });
}
const tgOk = (res, result) => res.json({ ok: true, result });

/** Real bot tokens start with the bot's user id ("123:ABC" -> 123); keep that. */
function botIdFromToken(token) {
  const id = Number(String(token).split(':')[0]);
  return Number.isSafeInteger(id) && id > 0 ? id : 666; // 666: the library's getMe id
}
function botUser(token) {
  return { id: botIdFromToken(token), is_bot: true, first_name: 'Test First name', username: BOT_USERNAME };
}

// A 1x1 PNG served for files nobody uploaded bytes for (user photos, stickers...).
const PLACEHOLDER_FILE = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

// ---------------------------------------------------------------- emulator state
// The library keeps user updates and bot messages in `server.storage`; the few
// extra things PTB needs (chat types, callback answers, commands, files) live here.

const extra = {
  chats: {},      // chat id -> Chat object as users created it (type/title for groups)
  answers: [],    // answerCallbackQuery calls, for assertions
  commands: {},   // token -> setMyCommands list
  files: {},      // file_id -> { path, base64?, size }
  fileSeq: 1,
  calls: [],      // recent Bot API calls { token, method, params, time, unsupported? }
};
const MAX_CALLS = 2000;

function chatFor(chatId) {
  const known = extra.chats[String(chatId)];
  if (known) return known;
  const id = Number(chatId);
  return Number.isFinite(id) && id < 0
    ? { id, type: 'group', title: 'Test group' }
    : { id: Number.isFinite(id) ? id : chatId, type: 'private', first_name: 'TestName' };
}

function newFile(kind, ext, base64) {
  const n = extra.fileSeq++;
  const id = `${kind}-${n}`;
  const size = base64 ? Buffer.from(base64, 'base64').length : PLACEHOLDER_FILE.length;
  extra.files[id] = { path: `${kind}s/file_${n}.${ext}`, base64: base64 || null, size };
  return { file_id: id, file_unique_id: `u-${id}`, file_size: size };
}

// ---------------------------------------------------------------- message shapes

/** Find the library's stored bot message (storage.botMessages entry). */
function findBotMessage(server, token, chatId, messageId) {
  return server.storage.botMessages.find((u) => (
    (token === undefined || u.botToken === token)
    && String(u.messageId) === String(messageId)
    && String(u.message.chat_id) === String(chatId)));
}

const MEDIA_FIELDS = {
  sendPhoto: 'photo', sendDocument: 'document', sendSticker: 'sticker',
  sendVoice: 'voice', sendAudio: 'audio', sendVideo: 'video', sendAnimation: 'animation',
};

/**
 * A stored bot message as a proper Telegram `Message`. The library returns the raw
 * request body spread into the result (dates in ms, JSON-in-string fields such as
 * link_preview_options), which PTB cannot parse; build a clean object instead.
 * withExtras adds x_* fields for the control API only (never sent to the bot).
 */
function toTelegramMessage(stored, withExtras = false) {
  const m = stored.message;
  const msg = {
    message_id: stored.messageId,
    from: botUser(stored.botToken),
    chat: chatFor(m.chat_id),
    date: Math.floor(stored.time / 1000), // Telegram dates are seconds; the library stores ms
  };
  if (stored.editTime) msg.edit_date = Math.floor(stored.editTime / 1000);
  if (m.text !== undefined) msg.text = String(m.text);
  if (Array.isArray(m.entities)) msg.entities = m.entities;
  if (m.caption !== undefined) msg.caption = String(m.caption);
  const media = stored.media; // set by our send* media route
  if (media) Object.assign(msg, media);
  // Telegram only echoes inline keyboards in Message.reply_markup.
  if (m.reply_markup && Array.isArray(m.reply_markup.inline_keyboard)) {
    msg.reply_markup = { inline_keyboard: m.reply_markup.inline_keyboard };
  }
  if (withExtras) {
    msg.x_method = stored.method || 'sendMessage';
    if (m.parse_mode) msg.x_parse_mode = m.parse_mode;
    if (m.reply_markup) msg.x_reply_markup = m.reply_markup; // reply keyboards too
  }
  return msg;
}

/** Telegram's placeholder for a message the bot can no longer see (PTB: date == 0). */
const inaccessible = (chat, messageId) => ({ chat, message_id: Number(messageId) || 0, date: 0 });

/**
 * Patch: TelegramServer.formatUpdate.
 * - callback_query: add the required `chat_instance`, and make sure `message` is a
 *   Message (message_id, date, chat). Callbacks queued through this harness already
 *   carry the real bot message; anything else degrades to an InaccessibleMessage.
 * - message: drop the internal `botToken` field and make sure `date` exists (seconds).
 */
function formatUpdate(update) {
  if ('callbackQuery' in update) {
    const cq = update.callbackQuery;
    let message = cq.message;
    if (message && (message.message_id === undefined || message.date === undefined || !message.chat)) {
      const chat = (message && message.chat) || chatFor(cq.from && cq.from.id);
      message = inaccessible(chat, message && message.message_id);
    }
    const out = {
      id: String(update.callbackId),
      from: cq.from,
      chat_instance: `ci${message ? message.chat.id : (cq.from && cq.from.id)}`,
    };
    if (message) out.message = message;
    if (cq.data !== undefined) out.data = String(cq.data);
    return { update_id: update.updateId, callback_query: out };
  }
  const { botToken: _internal, ...message } = update.message;
  return {
    update_id: update.updateId,
    message: Object.assign(message, {
      message_id: update.messageId,
      date: message.date !== undefined ? message.date : Math.floor(update.time / 1000),
    }),
  };
}

// ---------------------------------------------------------------- validation
// Telegram rejects these; emulating it catches real bugs (long Vietnamese texts,
// UTF-8 callback data over 64 bytes) before production does.

function checkInlineKeyboard(markup) {
  if (!markup || !Array.isArray(markup.inline_keyboard)) return null;
  for (const row of markup.inline_keyboard) {
    if (!Array.isArray(row)) return 'Bad Request: inline keyboard rows must be arrays';
    for (const b of row) {
      if (!b || typeof b.text !== 'string' || b.text === '') return 'Bad Request: text buttons are unallowed in the inline keyboard';
      if (b.callback_data !== undefined) {
        const n = Buffer.byteLength(String(b.callback_data), 'utf8');
        if (n < 1 || n > 64) return 'Bad Request: BUTTON_DATA_INVALID';
      }
    }
  }
  return null;
}

function checkText(text, parseMode, field = 'message text') {
  if (text === undefined || String(text).trim() === '') return `Bad Request: ${field} is empty`;
  // Telegram's limit applies after entity parsing, so only check plain text exactly.
  if (!parseMode && String(text).length > 4096) return 'Bad Request: message is too long';
  return null;
}

// ---------------------------------------------------------------- long polling

const waiters = new Set(); // resolvers of getUpdates calls waiting for a new update

function wakeWaiters() {
  for (const w of [...waiters]) w();
}

/**
 * Unconfirmed updates for a token, in order. Telegram semantics: an update is
 * returned until a later getUpdates confirms it with offset > update_id. The
 * library instead marks updates read as soon as they are returned, which loses
 * them when PTB's request times out; here `isRead` means "confirmed".
 */
function pendingUpdates(server, token, offset) {
  return server.storage.userMessages
    .filter((u) => u.botToken === token && !u.isRead && (offset === undefined || u.updateId >= offset))
    .sort((a, b) => a.updateId - b.updateId);
}

function confirmUpdates(server, token, offset) {
  const list = pendingUpdates(server, token);
  if (offset < 0) {
    // Negative offset: keep only the last -offset updates, forget the rest.
    list.slice(0, Math.max(0, list.length + offset)).forEach((u) => { u.isRead = true; });
    return;
  }
  list.filter((u) => u.updateId < offset).forEach((u) => { u.isRead = true; });
}

// ---------------------------------------------------------------- Bot API routes
// Each route is `(app, server) => void`, the library's own route signature.

/** Patch: getMe. The library's user lacks `is_bot`, which PTB's User requires. */
const getMeRoute = (app) => handle(app, '/bot:token/getMe', (req, res) => {
  tgOk(res, Object.assign(botUser(req.params.token), {
    can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false,
  }));
});

/**
 * Patch: getUpdates. The library ignores offset/limit/timeout and answers at once,
 * so PTB would spin in a tight loop and could lose updates. Implement Telegram's
 * offset confirmation and long polling (answer as soon as an update arrives).
 */
const getUpdatesRoute = (app, server) => handle(app, '/bot:token/getUpdates', (req, res) => {
  // Async handler: express 4 does not catch rejected promises, so report them here.
  longPoll(server, req, res).catch((e) => {
    log(`getUpdates failed: ${e.stack || e}`);
    if (!res.headersSent) tgError(res, 500, `Internal Server Error: ${e.message}`);
  });
});

async function longPoll(server, req, res) {
  const token = req.params.token;
  const p = params(req);
  const offset = p.offset !== undefined && p.offset !== '' ? Number(p.offset) : undefined;
  const limit = Math.min(100, Math.max(1, Number(p.limit) || 100));
  const timeoutMs = Math.min(50, Math.max(0, Number(p.timeout) || 0)) * 1000;
  if (offset !== undefined && offset !== 0) confirmUpdates(server, token, offset);
  const effectiveOffset = offset !== undefined && offset > 0 ? offset : undefined;
  let pending = pendingUpdates(server, token, effectiveOffset);

  if (pending.length === 0 && timeoutMs > 0 && !stopping) {
    await new Promise((resolve) => {
      let timer = null;
      const done = () => { waiters.delete(check); clearTimeout(timer); resolve(); };
      const check = () => { if (stopping || pendingUpdates(server, token, effectiveOffset).length) done(); };
      waiters.add(check);
      timer = setTimeout(done, timeoutMs);
      res.on('close', done); // the bot gave up (client timeout, shutdown)
    });
    if (res.writableEnded || res.destroyed) return;
    pending = pendingUpdates(server, token, effectiveOffset);
  }
  tgOk(res, pending.slice(0, limit).map((u) => TelegramServer.formatUpdate(u)));
}

/** Patch: sendMessage. Validate like Telegram, reuse addBotMessage, return a proper Message. */
const sendMessageRoute = (app, server) => handle(app, '/bot:token/sendMessage', (req, res) => {
  const body = params(req);
  const markup = jsonField(body.reply_markup);
  const problem = (body.chat_id === undefined ? 'Bad Request: chat_id is empty' : null)
    || checkText(body.text, body.parse_mode) || checkInlineKeyboard(markup);
  if (problem) return tgError(res, 400, problem);
  const sent = server.addBotMessage(body, req.params.token); // library storage + event
  const stored = findBotMessage(server, req.params.token, body.chat_id, sent.message_id);
  tgOk(res, toTelegramMessage(stored));
});

/**
 * New: sendPhoto/sendDocument/sendSticker/sendVoice/... stored like sendMessage so the
 * tests see them in /messages. Files may be a file_id/URL string or a multipart upload.
 */
const sendMediaRoutes = (app, server) => {
  for (const [method, field] of Object.entries(MEDIA_FIELDS)) {
    handle(app, `/bot:token/${method}`, (req, res) => {
      const body = params(req);
      const upload = req.files && req.files[field];
      if (body.chat_id === undefined) return tgError(res, 400, 'Bad Request: chat_id is empty');
      if (!upload && !body[field]) return tgError(res, 400, `Bad Request: there is no ${field} in the request`);
      const markup = jsonField(body.reply_markup);
      const problem = checkInlineKeyboard(markup)
        || (body.caption !== undefined && String(body.caption).length > 1024 && !body.parse_mode
          ? 'Bad Request: message caption is too long' : null);
      if (problem) return tgError(res, 400, problem);
      const file = newFile(field, field === 'photo' ? 'jpg' : 'bin', upload ? upload.base64 : null);
      if (!upload && typeof body[field] === 'string' && !/^https?:/.test(body[field])) file.file_id = body[field];
      const media = {
        photo: { photo: [Object.assign({ width: 320, height: 240 }, file)] },
        document: { document: Object.assign({ file_name: upload ? upload.name : 'file.bin' }, file) },
        sticker: { sticker: Object.assign({ width: 512, height: 512, is_animated: false, is_video: false, type: 'regular' }, file) },
        voice: { voice: Object.assign({ duration: Number(body.duration) || 1 }, file) },
        audio: { audio: Object.assign({ duration: Number(body.duration) || 1 }, file) },
        video: { video: Object.assign({ width: 320, height: 240, duration: Number(body.duration) || 1 }, file) },
        animation: { animation: Object.assign({ width: 320, height: 240, duration: Number(body.duration) || 1 }, file) },
      }[field];
      const msgBody = Object.assign({}, body);
      delete msgBody[field]; // keep file payloads out of the store
      const sent = server.addBotMessage(msgBody, req.params.token);
      const stored = findBotMessage(server, req.params.token, body.chat_id, sent.message_id);
      stored.method = method;
      stored.media = media;
      tgOk(res, toTelegramMessage(stored));
    });
  }
};

/**
 * Patch: editMessageText. The library answers `result: null` and keeps the old inline
 * keyboard; Telegram returns the edited Message and drops the keyboard unless the
 * edit passes reply_markup again.
 */
const editMessageTextRoute = (app, server) => handle(app, '/bot:token/editMessageText', (req, res) => {
  const body = params(req);
  if (body.inline_message_id) return tgOk(res, true); // inline messages return True
  const problem = checkText(body.text, body.parse_mode, 'text') || checkInlineKeyboard(jsonField(body.reply_markup));
  if (problem) return tgError(res, 400, problem);
  const stored = findBotMessage(server, req.params.token, body.chat_id, body.message_id);
  if (!stored) return tgError(res, 400, 'Bad Request: message to edit not found');
  server.editMessageText(body); // library merge + event
  if (body.reply_markup === undefined) delete stored.message.reply_markup;
  if (body.parse_mode === undefined) delete stored.message.parse_mode;
  if (body.entities === undefined) delete stored.message.entities;
  stored.editTime = Date.now();
  tgOk(res, toTelegramMessage(stored));
});

/** Patch: editMessageReplyMarkup. Omitting reply_markup removes the keyboard (library ignored it). */
const editMessageReplyMarkupRoute = (app, server) => handle(app, '/bot:token/editMessageReplyMarkup', (req, res) => {
  const body = params(req);
  if (body.inline_message_id) return tgOk(res, true);
  const problem = checkInlineKeyboard(jsonField(body.reply_markup));
  if (problem) return tgError(res, 400, problem);
  const stored = findBotMessage(server, req.params.token, body.chat_id, body.message_id);
  if (!stored) return tgError(res, 400, 'Bad Request: message to edit not found');
  server.editMessageReplyMarkup(body);
  if (body.reply_markup === undefined) delete stored.message.reply_markup;
  stored.editTime = Date.now();
  tgOk(res, toTelegramMessage(stored));
});

/** Patch: answerCallbackQuery. Telegram answers `true` (library: null); record it for tests. */
const answerCallbackQueryRoute = (app) => handle(app, '/bot:token/answerCallbackQuery', (req, res) => {
  const p = params(req);
  extra.answers.push({
    token: req.params.token,
    callback_query_id: String(p.callback_query_id),
    text: p.text,
    show_alert: truthy(p.show_alert),
    url: p.url,
    time: Date.now(),
  });
  tgOk(res, true);
});

/** Patch: deleteMessage. Reuse the library's deletion, answer `true` like Telegram (library: null). */
const deleteMessageRoute = (app, server) => handle(app, '/bot:token/deleteMessage', (req, res) => {
  const p = params(req);
  const ok = server.deleteMessage(Number(p.chat_id), Number(p.message_id));
  if (!ok) return tgError(res, 400, 'Bad Request: message to delete not found');
  tgOk(res, true);
});

/** Patch: setWebhook answers `true` (library: null). */
const setWebhookRoute = (app, server) => handle(app, '/bot:token/setWebhook', (req, res) => {
  const p = params(req);
  if (!p.url) return tgError(res, 400, 'Bad Request: bad webhook: An HTTPS URL must be provided for webhook');
  server.setWebhook(p, req.params.token);
  tgOk(res, true);
});

/** Patch: deleteWebhook honours drop_pending_updates (PTB's start_polling(drop_pending_updates=True)). */
const deleteWebhookRoute = (app, server) => handle(app, '/bot:token/deleteWebhook', (req, res) => {
  const token = req.params.token;
  server.deleteWebhook(token);
  if (truthy(params(req).drop_pending_updates)) pendingUpdates(server, token).forEach((u) => { u.isRead = true; });
  tgOk(res, true);
});

/** New: methods PTB calls that the library does not know. */
const extraBotRoutes = (app, server) => {
  handle(app, '/bot:token/getWebhookInfo', (req, res) => {
    const hook = server.webhooks[req.params.token];
    tgOk(res, {
      url: hook ? hook.url : '',
      has_custom_certificate: false,
      pending_update_count: pendingUpdates(server, req.params.token).length,
    });
  });
  handle(app, '/bot:token/setMyCommands', (req, res) => {
    const cmds = jsonField(params(req).commands);
    extra.commands[req.params.token] = Array.isArray(cmds) ? cmds : [];
    tgOk(res, true);
  });
  handle(app, '/bot:token/getMyCommands', (req, res) => tgOk(res, extra.commands[req.params.token] || []));
  handle(app, '/bot:token/deleteMyCommands', (req, res) => {
    delete extra.commands[req.params.token];
    tgOk(res, true);
  });
  handle(app, '/bot:token/sendChatAction', (req, res) => tgOk(res, true));
  handle(app, '/bot:token/getFile', (req, res) => {
    const id = String(params(req).file_id);
    const f = extra.files[id];
    if (!f) return tgError(res, 400, 'Bad Request: invalid file_id');
    tgOk(res, { file_id: id, file_unique_id: `u-${id}`, file_size: f.size, file_path: f.path });
  });
  // File downloads: PTB fetches {base_file_url}{token}/{file_path}.
  app.get('/file/bot:token/*', (req, res) => {
    const wanted = req.params[0];
    const f = Object.values(extra.files).find((x) => x.path === wanted);
    if (!f) return tgError(res, 404, 'Not Found');
    res.type('application/octet-stream').send(f.base64 ? Buffer.from(f.base64, 'base64') : PLACEHOLDER_FILE);
  });
};

/**
 * Patch: the catch-all. The library answers unknown methods with HTTP 500 (PTB: a
 * NetworkError, retried forever). Answer `true` instead so harmless calls
 * (setChatMenuButton, close...) pass, and log them so a test can notice.
 */
const unknownMethodRoute = (app) => handle(app, '/bot:token/:method', (req, res) => {
  log(`unsupported Bot API method ${req.params.method}: answered {ok: true, result: true}`);
  const last = extra.calls[extra.calls.length - 1];
  if (last && last.method === req.params.method) last.unsupported = true;
  tgOk(res, true);
});

/** Multipart bodies (file uploads) are not parsed by the library's express setup. */
const multipartParser = (app) => app.use(async (req, _res, next) => {
  if (!req.is('multipart/form-data')) return next();
  try {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    // Node's built-in fetch implementation parses multipart: no extra dependency.
    const form = await new Response(Buffer.concat(chunks), {
      headers: { 'content-type': req.headers['content-type'] },
    }).formData();
    req.body = {};
    req.files = {};
    for (const [k, v] of form) {
      if (typeof v === 'string') req.body[k] = v;
      else req.files[k] = { name: v.name, size: v.size, base64: Buffer.from(await v.arrayBuffer()).toString('base64') };
    }
    // Telegram's attach:// references point at another multipart field.
    for (const [k, v] of Object.entries(req.body)) {
      const m = /^attach:\/\/(.+)$/.exec(v);
      if (m && req.files[m[1]]) req.files[k] = req.files[m[1]];
    }
    next();
  } catch (e) { next(e); }
});

/** Records every Bot API call (for /calls) before the real route answers it. */
const callRecorder = (app) => app.all('/bot:token/:method', (req, _res, next) => {
  const p = params(req);
  extra.calls.push({ token: req.params.token, method: req.params.method, params: p, time: Date.now() });
  if (extra.calls.length > MAX_CALLS) extra.calls.splice(0, extra.calls.length - MAX_CALLS);
  if (VERBOSE) log(`${req.params.method} ${JSON.stringify(p)}`);
  next();
});

// ---------------------------------------------------------------- users (shared by control API and /sendCallback)

function registerChat(chat) {
  extra.chats[String(chat.id)] = chat;
}

/** A chat as the library's client builds it, fixed for groups (title, no first_name). */
function chatOf(client, type, title) {
  if (type === 'private') {
    return { id: client.chatId, type, first_name: client.firstName, username: client.userName };
  }
  return { id: client.chatId, type, title: title || client.chatTitle };
}

/**
 * The message a callback query refers to: the stored bot message if it exists,
 * else an InaccessibleMessage (what Telegram sends for deleted/old messages).
 */
function resolveCallbackMessage(server, token, chatId, messageId) {
  if (messageId === undefined || messageId === null) {
    // No id given (the library's JS style): use the bot's latest message in that chat.
    const all = server.storage.botMessages.filter((u) => u.botToken === token && String(u.message.chat_id) === String(chatId));
    const last = all[all.length - 1];
    return last ? toTelegramMessage(last) : inaccessible(chatFor(chatId), 0);
  }
  const stored = findBotMessage(server, token, chatId, messageId);
  return stored ? toTelegramMessage(stored) : inaccessible(chatFor(chatId), messageId);
}

/**
 * Patch: the client's /sendCallback route. The library queues the caller's message
 * object unchanged (a user message without message_id/date). Replace it with the bot
 * message the button belongs to, using message.message_id (or messageId) if given.
 */
const sendCallbackRoute = (app, server) => app.post('/sendCallback', async (req, res) => {
  try {
    const cq = Object.assign({}, req.body);
    const chatId = (cq.message && cq.message.chat && cq.message.chat.id) || cq.chatId || (cq.from && cq.from.id);
    const messageId = cq.messageId !== undefined ? cq.messageId : cq.message && cq.message.message_id;
    cq.message = resolveCallbackMessage(server, cq.botToken, chatId, messageId);
    await server.addUserCallback(cq);
    res.json({ ok: true, result: null });
  } catch (e) {
    res.status(400).json({ ok: false, description: String(e.message || e) });
  }
});

// ---------------------------------------------------------------- install the patches

function installPatches() {
  const botReplacements = new Map([
    [libBot.getMe, getMeRoute],
    [libBot.getUpdates, getUpdatesRoute],
    [libBot.sendMessage, sendMessageRoute],
    [libBot.editMessageText, editMessageTextRoute],
    [libBot.editMessageReplyMarkup, editMessageReplyMarkupRoute],
    [libBot.answerCallbackQuery, answerCallbackQueryRoute],
    [libBot.deleteMessage, deleteMessageRoute],
    [libBot.setWebhook, setWebhookRoute],
    [libBot.deleteWebhook, deleteWebhookRoute],
    [libBot.unknownMethod, unknownMethodRoute],
  ]);
  const clientReplacements = new Map([[libClient.sendCallback, sendCallbackRoute]]);
  // Fail loudly if a library upgrade moved a route we patch (instead of silently not patching).
  for (const [orig, label] of [...botReplacements.keys(), ...clientReplacements.keys()].map((f) => [f, f && f.name])) {
    if (!routesIndex.routes.includes(orig)) throw new Error(`telegram-test-api layout changed: route ${label} not found`);
  }
  const replaced = routesIndex.routes.map((r) => botReplacements.get(r) || clientReplacements.get(r) || r);
  // New bot routes must come before the catch-all `/bot:token/:method`.
  const catchAll = replaced.indexOf(unknownMethodRoute);
  replaced.splice(catchAll, 0, sendMediaRoutes, extraBotRoutes);
  routesIndex.routes = [multipartParser, callRecorder, ...replaced];

  TelegramServer.formatUpdate = formatUpdate; // static, looked up on the class at call time
}

// ---------------------------------------------------------------- state file (pause/resume)

const COUNTERS = ['updateId', 'messageId', 'callbackId'];

function saveState(server) {
  if (!STATE_FILE) return;
  const state = { storage: server.storage, webhooks: server.webhooks, extra: Object.assign({}, extra, { calls: [] }) };
  for (const c of COUNTERS) state[c] = server[c];
  fs.writeFileSync(STATE_FILE, JSON.stringify(state));
}

function loadState(server) {
  if (!STATE_FILE || !fs.existsSync(STATE_FILE)) return;
  const state = JSON.parse(fs.readFileSync(STATE_FILE, 'utf8'));
  // Counters must survive a restart: the bot keeps confirming with its old offset,
  // so update ids restarting at 1 would be "already confirmed" and never delivered.
  for (const c of COUNTERS) if (Number.isFinite(state[c])) server[c] = state[c];
  if (state.storage) server.storage = state.storage;
  if (state.webhooks) server.webhooks = state.webhooks;
  if (state.extra) Object.assign(extra, state.extra, { calls: [] });
}

// ---------------------------------------------------------------- control API
//
//   GET  /health                          {ok, port, controlPort}
//   POST /send      {token, userId, chatId, firstName?, userName?, type?: private|group|supergroup,
//                    title?, text? | photo?: true|base64 | sticker?: true|emoji | voice?: true|seconds
//                    | location?: {latitude, longitude}, caption?, replyTo?}
//                   -> {ok, result: {update_id, message_id}}   (a "/cmd" text becomes a command)
//   POST /callback  {token, userId, chatId, data, messageId, firstName?, type?}
//                   -> {ok, result: {update_id, callback_query_id}}
//   GET  /messages?token=&chatId=         bot messages in that chat, oldest first (Telegram
//                                         Message shape plus x_method/x_parse_mode/x_reply_markup)
//   GET  /answers?token=                  answerCallbackQuery calls
//   GET  /calls?token=&method=            recent Bot API calls (method, params, unsupported?)
//   GET  /pending?token=                  {count}: updates the bot has not confirmed yet
//   GET  /commands?token=                 what setMyCommands set
//   POST /reset                           forget messages/updates/answers/calls (ids keep counting)

function clientFor(server, b) {
  if (!b.token) throw new Error('token is required');
  const type = b.type || 'private';
  const userId = Number(b.userId || 1);
  const chatId = Number(b.chatId !== undefined ? b.chatId : userId);
  // Reuse the library's TelegramClient to build users/chats/messages.
  const client = server.getClient(b.token, {
    userId, chatId, type, firstName: b.firstName || `User${userId}`,
    userName: b.userName || `user${userId}`, chatTitle: b.title,
  });
  const chat = chatOf(client, type, b.title);
  registerChat(chat);
  return { client, chat };
}

async function controlSend(server, b) {
  const { client, chat } = clientFor(server, b);
  const text = b.text !== undefined ? String(b.text) : undefined;
  const isCommand = text !== undefined && text.startsWith('/');
  const msg = isCommand ? client.makeCommand(text) : client.makeMessage(text);
  msg.chat = chat;
  if (text === undefined) delete msg.text;
  if (b.photo) {
    const base64 = typeof b.photo === 'string' ? b.photo : null;
    msg.photo = [Object.assign({ width: 90, height: 90 }, newFile('photo', 'jpg', base64)),
      Object.assign({ width: 800, height: 600 }, newFile('photo', 'jpg', base64))];
  }
  if (b.sticker) {
    msg.sticker = Object.assign({
      width: 512, height: 512, is_animated: false, is_video: false, type: 'regular',
      emoji: typeof b.sticker === 'string' ? b.sticker : '🐟',
    }, newFile('sticker', 'webp', null));
  }
  if (b.voice) {
    msg.voice = Object.assign({ duration: Number(b.voice) > 0 ? Number(b.voice) : 2, mime_type: 'audio/ogg' },
      newFile('voice', 'oga', null));
  }
  if (b.location) {
    msg.location = { latitude: Number(b.location.latitude), longitude: Number(b.location.longitude) };
  }
  if (b.caption !== undefined) msg.caption = String(b.caption);
  if (b.replyTo !== undefined) {
    const replied = findBotMessage(server, b.token, chat.id, b.replyTo);
    if (replied) msg.reply_to_message = toTelegramMessage(replied);
  }
  if (!msg.text && !msg.photo && !msg.sticker && !msg.voice && !msg.location) {
    throw new Error('nothing to send: give text, photo, sticker, voice or location');
  }
  const updateId = server.updateId;
  const messageId = server.messageId;
  if (isCommand) await server.addUserCommand(msg); // library storage + events
  else await server.addUserMessage(msg);
  return { update_id: updateId, message_id: messageId };
}

async function controlCallback(server, b) {
  const { client, chat } = clientFor(server, b);
  if (b.data === undefined) throw new Error('data is required');
  const cq = client.makeCallbackQuery(String(b.data));
  cq.message = resolveCallbackMessage(server, b.token, chat.id, b.messageId);
  const updateId = server.updateId;
  const callbackId = server.callbackId;
  await server.addUserCallback(cq);
  return { update_id: updateId, callback_query_id: String(callbackId) };
}

function controlRoutes(server) {
  const botMessages = (token, chatId) => server.storage.botMessages
    .filter((u) => (!token || u.botToken === token) && (chatId === undefined || String(u.message.chat_id) === String(chatId)))
    .sort((a, b) => a.messageId - b.messageId)
    .map((u) => toTelegramMessage(u, true));
  return {
    'GET /health': () => ({ port: PORT, controlPort: CONTROL_PORT }),
    'POST /send': (b) => controlSend(server, b),
    'POST /callback': (b) => controlCallback(server, b),
    'GET /messages': (q) => botMessages(q.token, q.chatId),
    'GET /answers': (q) => extra.answers.filter((a) => !q.token || a.token === q.token),
    'GET /calls': (q) => extra.calls.filter((c) => (!q.token || c.token === q.token) && (!q.method || c.method === q.method)),
    'GET /pending': (q) => ({ count: pendingUpdates(server, q.token).length }),
    'GET /commands': (q) => extra.commands[q.token] || [],
    'POST /reset': () => {
      // Counters are kept on purpose: the bot's getUpdates offset must stay valid.
      server.storage.userMessages = [];
      server.storage.botMessages = [];
      extra.answers = [];
      extra.calls = [];
      return true;
    },
  };
}

function startControlServer(server) {
  const routes = controlRoutes(server);
  const ctl = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://control');
    const route = routes[`${req.method} ${url.pathname}`];
    const reply = (code, obj) => {
      res.writeHead(code, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(obj));
    };
    if (!route) return reply(404, { ok: false, error: `no route ${req.method} ${url.pathname}` });
    try {
      let body = {};
      if (req.method === 'POST') {
        const chunks = [];
        for await (const c of req) chunks.push(c);
        const raw = Buffer.concat(chunks).toString('utf8');
        body = raw ? JSON.parse(raw) : {};
      }
      const result = await route(req.method === 'GET' ? Object.fromEntries(url.searchParams) : body);
      wakeWaiters(); // a new update may be waiting for a long-polling bot
      reply(200, { ok: true, result });
    } catch (e) {
      reply(400, { ok: false, error: String((e && e.message) || e) });
    }
  });
  return new Promise((resolve, reject) => {
    ctl.once('error', reject);
    ctl.listen(CONTROL_PORT, HOST, () => resolve(ctl));
  });
}

// ---------------------------------------------------------------- main

let stopping = false;

async function main() {
  installPatches();
  const server = new TelegramServer({
    port: PORT,
    host: HOST,
    // The library drops stored messages older than storeTimeout (default 60 s);
    // a test run must never lose messages mid-test.
    storeTimeout: 24 * 3600,
  });
  server.setMaxListeners(0);
  loadState(server);
  // Wake long-polling getUpdates as soon as the library stores a user update
  // (these events are emitted by addUserMessage/addUserCommand/addUserCallback).
  for (const ev of ['AddedUserMessage', 'AddedUserCommand', 'AddedUserCallbackQuery']) server.on(ev, wakeWaiters);

  let control = null;
  try {
    await server.start();
    control = await startControlServer(server);
  } catch (e) {
    log(`cannot listen on ${HOST}:${PORT}/${CONTROL_PORT}: ${e.message}`);
    process.exit(2);
  }

  const shutdown = async (why) => {
    if (stopping) return;
    stopping = true;
    log(`stopping (${why})`);
    setTimeout(() => process.exit(0), 5000).unref(); // never hang on a stuck socket
    wakeWaiters(); // answer pending long polls now instead of after their timeout
    control.close();
    control.closeAllConnections();
    // Stop taking requests and let the ones in flight finish *before* saving: a message the bot
    // was told was sent must survive the restart, as it would on Telegram. The library's own
    // stop() empties its storage while requests are still finishing, so it is not used here.
    await Promise.race([
      new Promise((resolve) => server.server.shutdown(resolve)),
      new Promise((resolve) => setTimeout(resolve, 3000)),
    ]);
    try { saveState(server); } catch (e) { log(`could not save state: ${e.message}`); }
    process.exit(0);
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  if (process.env.WATCH_STDIN === '1') {
    process.stdin.on('end', () => shutdown('stdin closed'));
    process.stdin.on('error', () => shutdown('stdin error'));
    process.stdin.resume();
  }

  process.stdout.write(`READY ${PORT}\n`);
}

// A bug in a handler must show up in the log, not kill the emulator mid-test.
process.on('unhandledRejection', (e) => log(`unhandled rejection: ${(e && e.stack) || e}`));

main().catch((e) => {
  log(`fatal: ${e.stack || e}`);
  process.exit(1);
});
