// The practice page: records the microphone (getUserMedia + an AudioWorklet producing 16 kHz PCM),
// streams it to the server over a WebSocket, plays each question the server synthesised, tells the
// server the sample count at which the question finished playing (where the answer is cut), and
// shows what the server sends back: level, elapsed time, the growing transcript, the feedback.
(function () {
  'use strict';
  var $ = function (id) { return document.getElementById(id); };
  var ws = null, ctx = null, stream = null, sink = null;
  var samples = 0;          // 16 kHz samples sent: the clock the server cuts answers on
  var finished = false, target = [0, 0], current = null, audio = null;
  var answering = false;    // between listening and answer_end: the timer runs only then
  // When things happened on the page (performance.now() ms): read by the latency benchmark.
  var timeline = window.viTimeline = [];
  function mark(what, extra) { timeline.push(Object.assign({what: what, t: performance.now(), samples: samples}, extra || {})); }

  function showError(text) {
    var box = $('error');
    box.textContent = text;
    box.hidden = false;
    box.focus && box.setAttribute('tabindex', '-1');
  }
  function status(text) { $('status').textContent = text; }

  function startMessage(form) {
    var data = new FormData(form);
    var msg = {type: 'start', bank: form.dataset.bank, speak: data.get('speak') === 'on',
               follow_ups: data.get('follow_ups') === 'on', probes: data.get('probes'), auto_next: false,
               end_silence: data.get('end_silence'),
               max_answer: data.get('max_answer'), wait: data.get('wait'), count: data.get('count') || null};
    var mode = data.get('mode');
    if (mode === 'category') msg.categories = data.getAll('category');
    if (mode === 'questions') msg.questions = data.getAll('question');
    if (mode === 'weakest') msg.weakest = data.get('weakest');
    if ((mode === 'category' && !msg.categories.length) || (mode === 'questions' && !msg.questions.length)) {
      throw new Error('Tick at least one ' + (mode === 'category' ? 'category' : 'question') + ', or choose "All of the bank".');
    }
    return msg;
  }

  function micError(err) {
    var name = err && err.name;
    if (name === 'NotAllowedError' || name === 'SecurityError')
      return 'Microphone permission denied: allow the microphone for this page (the icon in the address bar, or the browser\'s site settings), then press Start again.';
    if (name === 'NotFoundError' || name === 'OverconstrainedError')
      return 'No microphone found: plug one in (or enable it in the system settings), then press Start again.';
    if (name === 'NotReadableError' || name === 'AbortError')
      return 'The microphone is in use by another program or could not be opened: close that program, then press Start again.';
    return 'Could not open the microphone (' + (name || err) + ').';
  }

  async function openMicrophone() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia)
      throw new Error('This browser only allows the microphone on https or on this computer: open the address printed by `voice-interviewer serve` (http://127.0.0.1:...).');
    try {
      stream = await navigator.mediaDevices.getUserMedia({audio: {channelCount: 1,
        echoCancellation: true, noiseSuppression: false, autoGainControl: false}});
    } catch (err) { throw new Error(micError(err)); }
    try { ctx = new AudioContext({sampleRate: 16000}); } catch (e) { ctx = new AudioContext(); }
    await ctx.audioWorklet.addModule('/static/recorder-worklet.js');
    var node = new AudioWorkletNode(ctx, 'recorder-16k');
    // Pulled by the graph only when connected to the output: through a silent gain.
    sink = ctx.createGain(); sink.gain.value = 0;
    ctx.createMediaStreamSource(stream).connect(node);
    node.connect(sink); sink.connect(ctx.destination);
    node.port.onmessage = function (e) {
      if (ws && ws.readyState === WebSocket.OPEN) { ws.send(e.data); samples += e.data.byteLength / 2; }
    };
    if (ctx.state === 'suspended') await ctx.resume();
  }

  function closeMicrophone() {
    if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
    if (ctx) ctx.close();
    stream = null; ctx = null;
  }

  function send(obj) { if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(obj)); }

  function played() {
    $('replay').hidden = true;
    mark('question_ended');
    send({type: 'played', at_sample: samples});
  }

  function playQuestion(url) {
    audio = new Audio(url);
    audio.addEventListener('ended', played, {once: true});
    var p = audio.play();
    if (p && p.catch) p.catch(function () {
      // Autoplay refused: one key press or click plays it.
      status('Press "Play the question" to hear it.');
      $('replay').hidden = false;
      $('replay').focus();
    });
  }

  // The question's example answer, hidden until asked for: reading it first spoils the practice.
  function exampleReveal(text) {
    var box = document.createElement('div');
    box.className = 'example';
    var button = document.createElement('button');
    button.type = 'button'; button.className = 'show-example';
    button.textContent = 'Show an example answer';
    button.setAttribute('aria-expanded', 'false');
    var p = document.createElement('p');
    p.className = 'example-answer'; p.hidden = true;
    p.textContent = text;  // bank text: never parsed as HTML
    button.addEventListener('click', function () {
      p.hidden = !p.hidden;
      button.setAttribute('aria-expanded', String(!p.hidden));
      button.textContent = p.hidden ? 'Show an example answer' : 'Hide the example answer';
    });
    box.appendChild(button); box.appendChild(p);
    return box;
  }

  // After feedback the session waits for Next or Try again (the server's "waiting").
  function showChoice(show, last) {
    $('next').hidden = $('retry').hidden = !show;
    $('next').disabled = $('retry').disabled = !show;
    if (show) $('next').textContent = last ? 'Finish the session' : 'Next question';
  }
  function choose(step) {
    mark(step + '_clicked');
    showChoice(false);
    send({type: step});
    status(step === 'retry' ? 'Again: the same question…' : 'Next…');
  }

  var handlers = {
    session: function () {
      $('setup').hidden = true; $('live').hidden = false; $('feedback').textContent = '';
    },
    question: function (m) {
      current = m; target = m.target_seconds; answering = false;
      showChoice(false);
      var again = m.attempt > 1 && !m.follow_up ? ' (attempt ' + m.attempt + ')' : '';
      // A probe asks about a point the answer missed: it says so, and names the point.
      $('q-label').textContent = m.probe ? 'Probe on question ' + m.n + ': ' + m.probe
        : (m.follow_up ? 'Follow-up to question ' : 'Question ') + m.n + ' of ' + m.of + again + ' · ' + m.category;
      $('q-text').hidden = false; $('said').hidden = false;
      $('q-text').textContent = m.text;
      $('transcript').textContent = '';
      $('elapsed').max = Math.max(1, target[1]); $('elapsed').value = 0;
      $('elapsed-text').textContent = '0 s of ' + target[0] + '–' + target[1] + ' s';
      $('done').disabled = true;
      if (m.audio) { status('Listen to the question…'); playQuestion(m.audio); }
      else played();
    },
    listening: function (m) {
      status('Listening: answer now. A silence of ' + m.end_silence_s + ' s or more (longer as you go on; speaking again within ' + m.grace_s + ' s goes on with the answer), the Done button or ' + m.max_answer_s + ' s end it.');
      $('done').disabled = false; answering = true;
      mark('listening');
    },
    level: function (m) {
      if (!answering) return;  // a level sent as the answer ended must not move the timer on
      $('level').value = Math.max(-60, Math.min(0, m.rms_dbfs));
      $('level').textContent = Math.round(m.rms_dbfs) + ' dB';
      $('elapsed').value = Math.min(m.elapsed_s, $('elapsed').max);
      var where = m.elapsed_s < target[0] ? ' (keep going)' : m.elapsed_s > target[1] ? ' (over the target: wrap up)' : ' (on target)';
      $('elapsed-text').textContent = m.elapsed_s.toFixed(0) + ' s of ' + target[0] + '–' + target[1] + ' s' + (m.speech_started ? where : '');
    },
    speech_start: function () { status('Recording your answer…'); mark('speech_start'); },
    // The silence is about to end the answer: a grace period in which speaking goes on with it.
    closing: function () { status('Finishing your answer… keep talking to go on, or press Done.'); mark('closing'); },
    resumed: function () { status('Recording your answer…'); mark('resumed'); },
    stretch: function (m) {
      var t = $('transcript');
      t.textContent = (t.textContent ? t.textContent + ' ' : '') + m.words.join(' ');
    },
    answer_end: function (m) {
      $('done').disabled = true; answering = false;
      mark('answer_end', {reason: m.reason});
      status('Answer ended. Working out the feedback…');
    },
    feedback: function (m) {
      var item = document.createElement('section');
      item.className = 'feedback-item';
      var kind = current && current.probe ? 'the probe' : 'the follow-up';
      item.setAttribute('aria-label', 'Feedback on ' + (current && current.follow_up ? kind : 'question ' + (current ? current.n : '')));
      var h = document.createElement('h3');
      var which = current && current.attempt > 1 && !current.follow_up ? ' (attempt ' + current.attempt + ')' : '';
      h.textContent = (current ? current.text : '') + which;
      if (current && current.probe) {  // not a bank follow-up: a probe on a point that was missed
        var of = document.createElement('p');
        of.className = 'dim probe-of';
        of.textContent = 'Probe on question ' + current.n + ': ' + current.probe;
        item.appendChild(of);
      }
      item.appendChild(h);
      var body = document.createElement('div');
      body.innerHTML = m.html;  // rendered and escaped by the server (reports/html.py)
      item.appendChild(body);
      if (m.example) item.appendChild(exampleReveal(m.example));
      $('feedback').insertBefore(item, $('feedback').firstChild);
      // The feedback shows the question and the final transcript: the live ones go, not twice.
      $('q-text').hidden = true; $('said').hidden = true; $('transcript').textContent = '';
      // The timer ends on the answer's length as the feedback measures it.
      var said = m.analysis.answer_s;
      if (typeof said === 'number') {
        $('elapsed').value = Math.min(said, $('elapsed').max);
        $('elapsed-text').textContent = said.toFixed(0) + ' s of ' + target[0] + '–' + target[1] + ' s';
      }
      mark('feedback_shown', {decision_to_feedback_s: m.decision_to_feedback_s});
      status('Feedback ready.');
    },
    unanswered: function () {
      mark('unanswered');
      status('No answer heard.');
    },
    compare: function (m) {
      var box = document.createElement('div');
      box.innerHTML = m.html;  // rendered and escaped by the server (reports/attempts.py)
      var item = $('feedback').firstChild;  // this attempt's feedback
      if (item) item.insertBefore(box, item.children[1] || null);
      mark('compare_shown', {before: m.before, after: m.after});
    },
    waiting: function (m) {
      showChoice(true, m.last);
      status(m.last ? 'Read the feedback, then finish or try the question again.' : 'Read the feedback, then go on or try the question again.');
      $('next').focus();
      mark('waiting', {attempt: m.attempt});
    },
    notice: function (m) { status(m.message); },
    session_saved: function (m) {
      finished = true;
      closeMicrophone();
      $('done').disabled = true; $('stop').disabled = true; showChoice(false);
      var box = $('saved'); box.hidden = false; box.textContent = '';
      var p = document.createElement('p');
      p.textContent = 'Session ' + m.session_id + (m.interrupted ? ' (stopped early)' : '') + ' saved. ';
      var a = document.createElement('a'); a.href = m.report; a.textContent = 'Open its report';
      p.appendChild(a); box.appendChild(p);
      var again = document.createElement('a'); again.href = '/'; again.textContent = 'Practise again';
      box.appendChild(again);
      status('Session saved.');
      mark('session_saved', {session_id: m.session_id});
    },
    error: function (m) {
      finished = true;
      showError(m.message);
      status('Stopped.');
      $('start').disabled = false;
      closeMicrophone();
    }
  };

  function connect(start) {
    return new Promise(function (resolve, reject) {
      ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws/practice');
      ws.binaryType = 'arraybuffer';
      ws.onopen = function () { ws.send(JSON.stringify(start)); resolve(); };
      ws.onerror = function () { reject(new Error('Could not reach the server: is `voice-interviewer serve` still running?')); };
      ws.onmessage = function (e) {
        var m = JSON.parse(e.data);
        if (handlers[m.type]) handlers[m.type](m);
      };
      ws.onclose = function () {
        if (!finished) {
          showError('The server stopped or the connection was lost: restart `voice-interviewer serve` and reload this page. What was recorded so far is saved.');
          status('Disconnected.');
          closeMicrophone();
        }
      };
    });
  }

  $('start-form').addEventListener('submit', async function (e) {
    e.preventDefault();
    $('error').hidden = true;
    finished = false; samples = 0;
    var start;
    try { start = startMessage(e.target); } catch (err) { showError(err.message); return; }
    $('start').disabled = true;
    try {
      await openMicrophone();
      mark('microphone_open');
      await connect(start);
    } catch (err) {
      showError(err.message || String(err));
      $('start').disabled = false;
      closeMicrophone();
    }
  });
  // Ticking a question (or a category) chooses that way of picking: ticks alone used to be
  // ignored while "All of the bank" stayed chosen, and every question was asked.
  $('start-form').addEventListener('change', function (e) {
    var box = e.target;
    var mode = {question: 'questions', category: 'category'}[box.name];
    if (mode && box.checked) document.querySelector('input[name=mode][value=' + mode + ']').checked = true;
  });
  $('bank').addEventListener('change', function () { $('bank-form').submit(); });
  $('done').addEventListener('click', function () { mark('done_clicked'); send({type: 'done'}); $('done').disabled = true; });
  $('next').addEventListener('click', function () { choose('next'); });
  $('retry').addEventListener('click', function () { choose('retry'); });
  $('stop').addEventListener('click', function () { mark('stop_clicked'); send({type: 'stop'}); });
  $('replay').addEventListener('click', function () { if (audio) audio.play(); });
})();
