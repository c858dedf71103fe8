// Runs on the audio thread: turns the microphone into 16 kHz mono 16-bit PCM blocks of 50 ms and
// posts each block (an ArrayBuffer, transferred) to the page, which sends it over the WebSocket.
// The AudioContext is asked for 16 kHz; if the browser runs it at another rate, this resamples
// (box-filter averaging, then linear interpolation): speech recognition needs nothing finer.
class Recorder16k extends AudioWorkletProcessor {
  constructor() {
    super();
    this.ratio = sampleRate / 16000;
    this.block = new Int16Array(800);
    this.fill = 0;
    this.pos = 0; // read position in input samples, carried across render quanta
    this.prev = 0;
  }
  push(v) {
    const s = Math.max(-1, Math.min(1, v));
    this.block[this.fill++] = s < 0 ? s * 32768 : s * 32767;
    if (this.fill === this.block.length) {
      this.port.postMessage(this.block.buffer, [this.block.buffer]);
      this.block = new Int16Array(800);
      this.fill = 0;
    }
  }
  process(inputs) {
    const input = inputs[0];
    if (!input || input.length === 0) return true;
    const ch = input[0];
    if (this.ratio === 1) {
      for (let i = 0; i < ch.length; i++) this.push(ch[i]);
      return true;
    }
    // Average the input samples falling into each output sample (anti-aliasing for the downsampling).
    while (this.pos < ch.length) {
      const start = Math.floor(this.pos);
      const end = Math.min(ch.length, Math.floor(this.pos + this.ratio));
      let sum = 0, n = 0;
      for (let i = start; i < Math.max(end, start + 1); i++) { sum += ch[i]; n++; }
      this.push(sum / n);
      this.pos += this.ratio;
    }
    this.pos -= ch.length;
    return true;
  }
}
registerProcessor('recorder-16k', Recorder16k);
