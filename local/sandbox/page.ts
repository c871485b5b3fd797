/**
 * The sandbox's HTML shell. Everything inside is drawn by client.ts from what the local Teams
 * stand-in recorded; the banner says plainly that this is a simulation.
 */
const STYLES = `
:root{--bg:#f5f5f5;--panel:#fff;--rail:#ebebeb;--text:#242424;--subtle:#616161;--accent:#5b5fc7;--line:#e1dfdd;--banner:#fff4ce;--bannerText:#3d2f00;--reply:#f0f0f8;--focus:#1a1a1a}
body.dark{--bg:#1f1f1f;--panel:#292929;--rail:#141414;--text:#fff;--subtle:#adadad;--accent:#7f85f5;--line:#3d3d3d;--banner:#463100;--bannerText:#fff4ce;--reply:#2f2f4a;--focus:#fff}
*{box-sizing:border-box}
a{color:var(--accent)}
body{margin:0;font:14px 'Segoe UI','Noto Sans','DejaVu Sans',system-ui,sans-serif;background:var(--bg);color:var(--text);height:100vh;display:flex;flex-direction:column}
:focus-visible{outline:2px solid var(--focus);outline-offset:2px}
.banner{background:var(--banner);color:var(--bannerText);padding:.4rem 1rem;display:flex;gap:1rem;align-items:center;flex-wrap:wrap}
.banner strong{margin-right:auto}
.banner label{display:flex;gap:.4rem;align-items:center}
select,button,textarea,input{font:inherit;color:inherit}
select,textarea{background:var(--panel);border:1px solid var(--line);border-radius:4px;padding:.25rem .4rem}
button{background:var(--panel);border:1px solid var(--line);border-radius:4px;padding:.25rem .7rem;cursor:pointer}
button.primary{background:var(--accent);border-color:var(--accent);color:#fff}
main{flex:1;display:flex;min-height:0}
nav{width:250px;background:var(--rail);padding:.5rem;overflow:auto;border-right:1px solid var(--line)}
nav h2{font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:var(--subtle);margin:1rem .5rem .3rem}
nav button{display:block;width:100%;text-align:left;border:0;background:transparent;padding:.35rem .6rem;border-radius:4px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
nav button[aria-current="true"]{background:var(--panel);font-weight:600}
nav .unread::after{content:" •";color:var(--accent)}
section.conversation{flex:1;display:flex;flex-direction:column;min-width:0;background:var(--panel)}
header.channel{padding:.6rem 1rem;border-bottom:1px solid var(--line)}
header.channel h1{font-size:18px;margin:0}
header.channel p{margin:.2rem 0 0;color:var(--subtle)}
.views{display:flex;gap:.4rem;margin-top:.5rem;flex-wrap:wrap;align-items:center}
.views button[aria-selected="true"]{border-color:var(--accent);color:var(--accent);font-weight:600}
.views .bridge{color:var(--subtle);font-size:12px}
.posts{flex:1;overflow:auto;padding:1rem}
.thread{border:1px solid var(--line);border-radius:6px;margin:0 0 1rem;background:var(--bg)}
.msg{padding:.6rem .8rem}
.msg + .msg{border-top:1px solid var(--line)}
.msg.reply{margin-left:1.5rem;background:var(--reply)}
.msg .meta{font-size:12px;color:var(--subtle);margin-bottom:.2rem}
.msg .meta b{color:var(--text)}
.msg .text p{margin:.2rem 0}
.msg .card{max-width:560px;margin-top:.3rem;border-radius:6px;overflow:hidden;border:1px solid var(--line)}
.msg .card.full{max-width:none}
.reply-button{margin:.2rem .8rem .6rem 2.3rem;font-size:12px}
iframe.tab{flex:1;border:0;background:var(--panel)}
.composer{border-top:1px solid var(--line);padding:.6rem 1rem;position:relative}
.composer form{display:flex;gap:.5rem}
.composer textarea{flex:1;resize:vertical;min-height:2.4rem}
.msg-own{font-size:12px;margin-left:.3rem;background:none;border:1px solid var(--line);border-radius:4px;color:var(--subtle);cursor:pointer}
.msg-edit-form{display:flex;gap:.4rem;align-items:flex-start}.msg-edit{flex:1;min-height:2.4rem}
.text.deleted{font-style:italic;color:var(--subtle)}
.composer .to-bot{display:flex;align-items:center;gap:.25rem;font-size:13px;white-space:nowrap}
.composer .hint{font-size:12px;color:var(--subtle);margin:.3rem 0 0}
.suggestions{position:absolute;bottom:100%;left:1rem;background:var(--panel);border:1px solid var(--line);border-radius:6px;list-style:none;margin:0;padding:.25rem;min-width:220px;box-shadow:0 2px 8px #0003}
.suggestions li{padding:.3rem .6rem;border-radius:4px;cursor:pointer}
.suggestions li[aria-selected="true"]{background:var(--accent);color:#fff}
.connection{margin:0;padding:.35rem 1rem;font-size:13px}
.connection.lost{background:#c4314b;color:#fff}
.connection.back{background:#237b4b;color:#fff}
#toasts{position:fixed;right:1rem;bottom:1rem;display:flex;flex-direction:column;gap:.5rem;max-width:420px}
.toast{background:var(--panel);border:1px solid var(--line);border-left:4px solid var(--accent);padding:.5rem .8rem;border-radius:4px;box-shadow:0 2px 8px #0003}
.toast.error{border-left-color:#c4314b}
.empty{color:var(--subtle)}
.ac-pushButton{font:inherit;border-radius:4px;border:1px solid var(--line);background:var(--panel);color:var(--text);padding:.3rem .7rem;cursor:pointer}
.ac-pushButton.style-positive{background:var(--accent);border-color:var(--accent);color:#fff}
.ac-pushButton.expanded{border-color:var(--accent)}
.ac-input,.ac-textInput,.ac-multichoiceInput{font:inherit;color:var(--text);background:var(--panel);border:1px solid var(--line);border-radius:4px;padding:.25rem}
.people-picker{display:flex;flex-direction:column;gap:.25rem;width:100%}
.people-picker .pp-input{width:100%}
.pp-chips{display:flex;flex-wrap:wrap;gap:.25rem}.pp-chips:empty{display:none}
.pp-chip{display:inline-flex;align-items:center;gap:.2rem;background:var(--reply);border-radius:12px;padding:.1rem .2rem .1rem .6rem}
.pp-chip button{border:0;background:transparent;padding:0 .3rem;line-height:1}
.pp-options{list-style:none;margin:0;padding:.25rem;border:1px solid var(--line);border-radius:6px;background:var(--panel);box-shadow:0 2px 8px #0002}
.pp-options li{display:flex;flex-direction:column;padding:.3rem .6rem;border-radius:4px;cursor:pointer}
.pp-options li[aria-selected="true"]{background:var(--accent);color:#fff}
.pp-email{font-size:12px;opacity:.8}
.pp-status{font-size:12px;color:var(--subtle)}.pp-status:empty{display:none}
.msg .meta{display:flex;align-items:center;gap:.25rem}
.msg-more{margin-left:auto;border:0;background:transparent;padding:0 .5rem;font-size:16px;line-height:1.2;color:var(--subtle)}
.msg-more:hover,.msg-more[aria-expanded="true"]{background:var(--bg);color:var(--text)}
.msg-menu{position:fixed;z-index:20;min-width:240px;list-style:none;margin:0;padding:.25rem;background:var(--panel);border:1px solid var(--line);border-radius:6px;box-shadow:0 4px 16px #0004}
.msg-menu li{display:flex;justify-content:space-between;gap:1rem;padding:.4rem .7rem;border-radius:4px;cursor:pointer}
.msg-menu li:hover,.msg-menu li:focus{background:var(--accent);color:#fff;outline:none}
.msg-menu small{opacity:.8}
.dialog-backdrop{position:fixed;inset:0;z-index:30;background:#0007;display:flex;align-items:center;justify-content:center}
.dialog{background:var(--panel);color:var(--text);border-radius:8px;box-shadow:0 8px 32px #0006;display:flex;flex-direction:column;max-width:calc(100vw - 2rem);max-height:calc(100vh - 2rem)}
.dialog-header{display:flex;align-items:flex-start;justify-content:space-between;gap:1rem;padding:.8rem 1rem .4rem}
.dialog-app{font-size:12px;color:var(--subtle)}
.dialog-header h2{font-size:18px;margin:.1rem 0 0}
.dialog-close{border:0;background:transparent;font-size:20px;line-height:1;padding:.1rem .5rem}
.dialog-body{flex:1;overflow:auto;padding:0 1rem 1rem}
.dialog-body .card{border:0;border-radius:0}
.dialog[aria-busy="true"] .dialog-body{opacity:.6}
.dialog-message p{margin:.5rem 0 1rem}
`;

export function renderSandboxPage(): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>incident-room sandbox (local simulation)</title><style>${STYLES}</style></head>
<body>
<div class="banner" role="banner"><strong>Local simulation of Microsoft Teams — incident-room local mode. Nothing here reaches a real tenant.</strong>
<label>Act as <select id="as" aria-label="Act as"></select></label>
<button id="theme" type="button" aria-pressed="false">Dark theme</button></div>
<p class="connection" id="connection" role="status" aria-live="polite" hidden></p>
<main>
<nav aria-label="Teams and chats"><h2 id="team-heading">Incidents team</h2><div id="channels" role="list" aria-labelledby="team-heading"></div>
<h2 id="chat-heading">Chat</h2><div id="chats" role="list" aria-labelledby="chat-heading"></div></nav>
<section class="conversation" aria-live="off">
<header class="channel"><h1 id="title"></h1><p id="description"></p><div class="views" id="views" role="tablist" aria-label="Views"></div></header>
<div class="posts" id="posts" tabindex="0" aria-label="Messages"></div>
<iframe class="tab" id="tab" title="Incident tab" hidden></iframe>
<div class="composer" id="composer"><ul class="suggestions" id="suggestions" role="listbox" aria-label="People" hidden></ul>
<form id="send"><label for="message" class="visually-hidden" hidden>Message</label>
<textarea id="message" rows="1" placeholder="Type a command, e.g. declare Checkout API returns 500s --sev P1" aria-label="Message" aria-autocomplete="list" aria-controls="suggestions"></textarea>
<label class="to-bot" title="Off: a message to the people in the channel, which Teams still sends the bot (RSC), as it does every channel message; on: @mentions the bot, for a command"><input type="checkbox" id="to-bot" checked> to the bot</label>
<button class="primary" type="submit">Send</button></form>
<p class="hint" id="hint"></p></div>
</section></main>
<div id="toasts" role="status" aria-live="polite"></div>
<script src="/sandbox/vendor/markdown-it.js"></script><script src="/sandbox/vendor/adaptivecards.js"></script><script src="/sandbox/client.js"></script>
</body></html>`;
}
