/* The warning inbox: refreshed as warning events arrive; the recipient acknowledges here.
   As a duty desk it notices a new warning: the tab's title counts the new warnings still
   awaiting acknowledgement, and, if the officer opted in (kept in localStorage), a short
   beep (WebAudio, no file to fetch) and a browser notification. */
(function () {
  "use strict";
  const cr = window.crossrisk;
  const data = cr.pageData();
  const panel = document.getElementById("warning-inbox-panel");
  if (!panel) {
    return;
  }
  const texts = data.texts;
  const TABLE_ID = "warning-inbox";
  const SOUND_KEY = "crossrisk.inbox.sound";
  const DESKTOP_KEY = "crossrisk.inbox.notifications";
  const baseTitle = document.title;
  const soundBox = document.getElementById("notice-sound");
  const desktopBox = document.getElementById("notice-desktop");
  const message = document.getElementById("inbox-message");
  let audio = null;

  function stored(key) {
    try {
      return window.localStorage.getItem(key) === "on";
    } catch (_error) {
      return false; // storage refused (private mode): the choice lasts for this page only
    }
  }

  function store(key, on) {
    try {
      window.localStorage.setItem(key, on ? "on" : "off");
    } catch (_error) {
      // as above
    }
  }

  function rows(table) {
    return table ? Array.prototype.slice.call(table.querySelectorAll("tr.warning-row")) : [];
  }

  // The warnings shown when the page opened are known; those that arrive later are new,
  // and count until they are acknowledged (or replaced, or gone).
  const known = new Set(rows(document.getElementById(TABLE_ID)).map(function (row) {
    return row.dataset.warning;
  }));
  const fresh = new Set();

  function showCount(table) {
    const waiting = rows(table).filter(function (row) {
      return fresh.has(row.dataset.warning) && row.dataset.awaiting === "true";
    }).length;
    document.title = waiting > 0 ? "(" + waiting + ") " + baseTitle : baseTitle;
    document.documentElement.dataset.newWarnings = String(waiting);
  }

  function text(row, selector) {
    const cell = row.querySelector(selector);
    return cell ? cell.textContent.replace(/\s+/g, " ").trim() : "";
  }

  function beep() {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) {
      return;
    }
    audio = audio || new Context();
    if (audio.state === "suspended") {
      audio.resume();
    }
    // Two short tones, as a pager gives: heard across a room, over before it annoys.
    [0, 0.3].forEach(function (start) {
      const tone = audio.createOscillator();
      const gain = audio.createGain();
      tone.type = "sine";
      tone.frequency.value = 880;
      gain.gain.setValueAtTime(0.0001, audio.currentTime + start);
      gain.gain.exponentialRampToValueAtTime(0.3, audio.currentTime + start + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + start + 0.2);
      tone.connect(gain);
      gain.connect(audio.destination);
      tone.start(audio.currentTime + start);
      tone.stop(audio.currentTime + start + 0.22);
    });
  }

  function notify(row) {
    if (!("Notification" in window) || window.Notification.permission !== "granted") {
      return;
    }
    const body = [text(row, "td.recipient"), text(row, ".risk-title"), text(row, "td.origin"),
      text(row, "td.hazard")].filter(Boolean).join(" · ");
    const notice = new window.Notification(texts.noticeTitle + ": " + text(row, ".warning-level"), {
      body: body,
      tag: row.dataset.warning,
    });
    notice.onclick = function () {
      window.focus();
      notice.close();
    };
  }

  function announce(table) {
    const arrived = rows(table).filter(function (row) {
      return !known.has(row.dataset.warning);
    });
    arrived.forEach(function (row) {
      known.add(row.dataset.warning);
      if (row.dataset.awaiting === "true") {
        fresh.add(row.dataset.warning);
      }
    });
    const waiting = arrived.filter(function (row) {
      return row.dataset.awaiting === "true";
    });
    if (waiting.length > 0) {
      if (soundBox && soundBox.checked) {
        beep();
      }
      if (desktopBox && desktopBox.checked) {
        waiting.forEach(notify);
      }
    }
    showCount(table);
  }

  function say(sentence) {
    message.textContent = sentence;
    message.className = "inbox-message alert alert-error";
    message.hidden = false;
  }

  if (soundBox) {
    soundBox.checked = stored(SOUND_KEY);
    soundBox.addEventListener("change", function () {
      store(SOUND_KEY, soundBox.checked);
      if (soundBox.checked) {
        beep(); // the click lets the page play sound from now on, and the officer hears it
      }
    });
  }
  if (desktopBox) {
    const supported = "Notification" in window;
    desktopBox.checked = supported && stored(DESKTOP_KEY)
      && window.Notification.permission === "granted";
    desktopBox.addEventListener("change", function () {
      if (!desktopBox.checked) {
        store(DESKTOP_KEY, false);
        return;
      }
      if (!supported) {
        desktopBox.checked = false;
        say(texts.noticesUnsupported);
        return;
      }
      // Asked only here, on the officer's own click, as browsers expect.
      Promise.resolve(window.Notification.requestPermission()).then(function (permission) {
        const granted = permission === "granted";
        desktopBox.checked = granted;
        store(DESKTOP_KEY, granted);
        if (!granted) {
          say(texts.noticesBlocked);
        }
      });
    });
  }

  cr.warningTable({
    container: panel,
    message: message,
    tableUrl: data.tableUrl,
    tableId: TABLE_ID,
    after: data.after,
    csrfToken: data.csrfToken,
    texts: texts,
    onRefreshed: announce,
  });
})();
