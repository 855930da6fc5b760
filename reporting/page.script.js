// The smartspec report: language switch, map colouring, tooltips and the region panel.
// Works from file:// with no network: everything it needs is in the page.
"use strict";

(function () {
  const labels = JSON.parse(document.getElementById("report-labels").textContent);
  const data = JSON.parse(document.getElementById("report-data").textContent);
  const STORAGE_KEY = "smartspec-report-language";
  const tooltip = document.getElementById("tooltip");
  let language = data.defaultLanguage;
  let measure = "priorities";

  // The same rule as reporting/page.py's label(): plural forms by n, then {placeholders}.
  function label(key, values) {
    let text = labels[key] ? labels[key][language] : key;
    values = values || {};
    if (typeof text === "object") {
      const n = Number(values.n || 0);
      text = n === 0 ? text.zero : n === 1 ? text.one : text.other;
    }
    return text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
  }

  function argsOf(element) {
    return element.dataset.i18nArgs ? JSON.parse(element.dataset.i18nArgs) : {};
  }

  function setLanguage(next) {
    language = labels.title[next] ? next : data.defaultLanguage;
    document.documentElement.lang = language;
    document.querySelectorAll("[data-i18n]").forEach((el) => {
      el.textContent = label(el.dataset.i18n, argsOf(el));
    });
    document.querySelectorAll("[data-i18n-aria]").forEach((el) => {
      el.setAttribute("aria-label", label(el.dataset.i18nAria, argsOf(el)));
    });
    document.querySelectorAll("[data-language]").forEach((button) => {
      button.setAttribute("aria-pressed", String(button.dataset.language === language));
    });
    document.title = document.title.replace(/^[^·]*/, label("title") + " ");
    try {
      window.localStorage.setItem(STORAGE_KEY, language);
    } catch (e) {
      // storage refused (private mode, some file:// settings): the choice lasts for this page only
    }
  }

  function storedLanguage() {
    try {
      return window.localStorage.getItem(STORAGE_KEY);
    } catch (e) {
      return null;
    }
  }

  function colourClass(count) {
    return count > 0 ? "c" + Math.min(count, data.colourClasses) : "nodata";
  }

  function valueOf(code) {
    const counts = data.measures[measure].counts;
    return counts[code] || 0;
  }

  function recolour() {
    document.querySelectorAll(".region[data-code], .swatch[data-code]").forEach((el) => {
      const keep = Array.from(el.classList).filter((c) => c !== "nodata" && !/^c\d+$/.test(c));
      el.setAttribute("class", keep.concat(colourClass(valueOf(el.dataset.code))).join(" "));
    });
  }

  function tooltipContent(code) {
    const region = data.regions[code];
    tooltip.replaceChildren();
    const name = document.createElement("strong");
    name.textContent = region.name;
    tooltip.append(name);
    const count = document.createElement("span");
    count.textContent = label("n_priorities", { n: region.count });
    tooltip.append(count);
    if (measure !== "priorities") {
      const theme = document.createElement("span");
      theme.textContent = " · " + data.measures[measure].label + ": " + valueOf(code);
      tooltip.append(theme);
    }
    if (region.priorities.length) {
      const list = document.createElement("ul");
      region.priorities.slice(0, data.tooltipItems).forEach((text) => {
        const item = document.createElement("li");
        item.textContent = text;
        list.append(item);
      });
      const rest = region.priorities.length - data.tooltipItems;
      if (rest > 0) {
        const item = document.createElement("li");
        item.textContent = label("more", { n: rest });
        list.append(item);
      }
      tooltip.append(list);
    }
  }

  function showTooltip(code, x, y) {
    tooltipContent(code);
    tooltip.hidden = false;
    const box = tooltip.getBoundingClientRect();
    const left = Math.min(x + 14, window.innerWidth - box.width - 8);
    const top = y + 14 + box.height > window.innerHeight ? y - box.height - 10 : y + 14;
    tooltip.style.left = Math.max(left, 4) + "px";
    tooltip.style.top = Math.max(top, 4) + "px";
  }

  function hideTooltip() {
    tooltip.hidden = true;
  }

  function openRegion(code, focus) {
    const panel = document.getElementById("region-" + code);
    if (!panel) {
      return;
    }
    document.querySelectorAll(".region-panel").forEach((section) => {
      section.hidden = section !== panel;
    });
    document.getElementById("panel-empty").hidden = true;
    document.querySelectorAll(".region[data-code]").forEach((path) => {
      path.classList.toggle("selected", path.dataset.code === code);
      path.setAttribute("aria-pressed", String(path.dataset.code === code));
    });
    if (focus) {
      panel.querySelector("h3").focus();
    }
    if (window.location.hash !== "#region-" + code) {
      try {
        window.history.replaceState(null, "", "#region-" + code);
      } catch (e) {
        // some file:// settings refuse it; the panel is open all the same
      }
    }
  }

  function closeRegion() {
    const open = document.querySelector(".region-panel:not([hidden])");
    document.querySelectorAll(".region-panel").forEach((section) => {
      section.hidden = true;
    });
    document.getElementById("panel-empty").hidden = false;
    document.querySelectorAll(".region.selected").forEach((path) => {
      path.classList.remove("selected");
      path.setAttribute("aria-pressed", "false");
    });
    const back = open && document.querySelector('.region[data-code="' + open.dataset.code + '"]');
    if (back) {
      back.focus();
    }
  }

  document.querySelectorAll(".region[data-code]").forEach((path) => {
    const code = path.dataset.code;
    path.setAttribute("aria-pressed", "false");
    path.addEventListener("pointermove", (event) => showTooltip(code, event.clientX, event.clientY));
    path.addEventListener("pointerleave", hideTooltip);
    path.addEventListener("focus", () => {
      const box = path.getBoundingClientRect();
      showTooltip(code, box.left + box.width / 2, box.top + box.height / 2);
    });
    path.addEventListener("blur", hideTooltip);
    path.addEventListener("click", () => {
      hideTooltip();
      openRegion(code, false);
    });
    path.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        hideTooltip();
        openRegion(code, true);
      }
    });
  });
  document.querySelectorAll(".region-choice").forEach((button) => {
    button.addEventListener("click", () => openRegion(button.dataset.code, true));
  });
  document.querySelectorAll("[data-close]").forEach((button) => {
    button.addEventListener("click", closeRegion);
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      hideTooltip();
    }
  });
  document.querySelectorAll("[data-language]").forEach((button) => {
    button.addEventListener("click", () => setLanguage(button.dataset.language));
  });
  const select = document.getElementById("measure");
  select.addEventListener("change", () => {
    measure = data.measures[select.value] ? select.value : "priorities";
    recolour();
  });

  const wanted = storedLanguage();
  if (wanted && wanted !== language) {
    setLanguage(wanted);
  }
  const match = /^#region-([A-Z0-9]+)$/.exec(window.location.hash);
  if (match) {
    openRegion(match[1], false);
  }
})();
