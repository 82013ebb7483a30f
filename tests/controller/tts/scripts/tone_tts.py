#!/usr/bin/env python3
"""A tiny local "TTS program" for the command engine tests: writes a tone WAV whose length
follows the text (40 ms per character), like a real engine would, using only the standard
library. Usage:

  tone_tts.py --text-file F (--out FILE | --stdout) [--voice V] [--speed S] [--mode MODE]
  tone_tts.py --stdin-text --stdout          (text read from standard input)

MODE: ok (default), fail (exit 3), hang (never finishes), hang-child (a child process keeps
the pipes open and both never finish), no-output (exit 0 without writing audio),
junk (writes bytes that are not audio).
"""

import argparse
import math
import struct
import subprocess
import sys
import threading
import wave

RATE = 16000
MS_PER_CHAR = 40


def tone_wav_frames(text: str, speed: float) -> bytes:
    n = int(RATE * len(text) * MS_PER_CHAR / 1000 / speed)
    return b"".join(
        struct.pack("<h", int(8000 * math.sin(2 * math.pi * 330 * i / RATE))) for i in range(n)
    )


def write_wav(target, frames: bytes) -> None:
    with wave.open(target, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(frames)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--text-file")
    parser.add_argument("--text")
    parser.add_argument("--stdin-text", action="store_true")
    parser.add_argument("--out")
    parser.add_argument("--stdout", action="store_true")
    parser.add_argument("--voice", default="")
    parser.add_argument("--speed", type=float, default=1.0)
    parser.add_argument("--mode", default="ok")
    parser.add_argument("--record")  # append the received text and voice here, for asserts
    args = parser.parse_args()

    if args.mode == "fail":
        print("tone_tts: model file missing", file=sys.stderr)
        return 3
    if args.mode == "hang":
        threading.Event().wait()
    if args.mode == "hang-child":
        subprocess.Popen([sys.executable, "-c", "import threading; threading.Event().wait()"])
        threading.Event().wait()

    if args.stdin_text:
        text = sys.stdin.buffer.read().decode("utf-8")
    elif args.text_file:
        with open(args.text_file, encoding="utf-8") as f:
            text = f.read()
    else:
        text = args.text or ""
    if args.record:
        with open(args.record, "a", encoding="utf-8") as f:
            f.write(f"{args.voice}\t{text}\n")

    if args.mode == "no-output":
        return 0
    if args.mode == "junk":
        payload = b"\x00junk, not audio\x01" * 10
        if args.stdout:
            sys.stdout.buffer.write(payload)
        else:
            with open(args.out, "wb") as f:
                f.write(payload)
        return 0
    frames = tone_wav_frames(text, args.speed)
    if args.stdout:
        write_wav(sys.stdout.buffer, frames)
    else:
        write_wav(args.out, frames)
    return 0


if __name__ == "__main__":
    sys.exit(main())
