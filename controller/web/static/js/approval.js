// Duyệt nội dung: approve or reject a pending program with a comment, after a confirmation
// dialog; the card leaves the queue and the outcome is announced. Words come from data-*.
(function () {
  "use strict";
  const queue = document.getElementById("apv-queue");
  if (!queue) return;
  const words = queue.dataset;
  const dialog = document.getElementById("apv-dialog");
  const status = document.getElementById("apv-status");
  let pending = null; // {card, decision, button}

  function ask(card, decision, button) {
    const text = decision === "approve" ? words.confirmApprove : words.confirmReject;
    document.getElementById("apv-dialog-text").textContent = text.replace("{title}", card.dataset.title);
    pending = { card, decision, button };
    dialog.showModal();
    document.getElementById("apv-yes").focus();
  }

  function remaining() { return queue.querySelectorAll(".apv-card").length; }

  async function decide() {
    const { card, decision, button } = pending;
    pending = null;
    const error = card.querySelector(".apv-error");
    const comment = card.querySelector("textarea").value.trim();
    card.querySelectorAll("button").forEach((b) => { b.disabled = true; });
    try {
      await TT.post(`/api/v1/programs/${card.dataset.program}/${decision}`, comment ? { comment } : {});
      const done = decision === "approve" ? words.doneApprove : words.doneReject;
      status.textContent = done.replace("{title}", card.dataset.title);
      status.hidden = false;
      card.remove();
      const count = document.getElementById("apv-count");
      count.textContent = remaining() ? words.count.replace("{n}", remaining()) : words.empty;
      status.focus();
    } catch (err) {
      card.querySelectorAll("button").forEach((b) => { b.disabled = false; });
      error.textContent = err.message;
      error.hidden = false;
      button.focus();
    }
  }

  queue.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-decision]");
    if (!button) return;
    const card = button.closest(".apv-card");
    const error = card.querySelector(".apv-error");
    const textarea = card.querySelector("textarea");
    error.hidden = true;
    textarea.removeAttribute("aria-invalid");
    if (button.dataset.decision === "reject" && !textarea.value.trim()) {
      error.textContent = words.needComment;
      error.hidden = false;
      textarea.setAttribute("aria-invalid", "true");
      textarea.focus();
      return;
    }
    ask(card, button.dataset.decision, button);
  });
  document.getElementById("apv-yes").addEventListener("click", () => { dialog.close(); decide(); });
  document.getElementById("apv-no").addEventListener("click", () => {
    const button = pending && pending.button;
    pending = null;
    dialog.close();
    if (button) button.focus();
  });
  dialog.addEventListener("cancel", () => { pending = null; });
})();
