import { BITRATE_LADDER, chooseStartBitrate, renditionsFor } from './ladder';

describe('BITRATE_LADDER', () => {
  it('runs from 320x240 at 235 kbps up to 2160p, ascending, each quality within its resolution cap', () => {
    const bitrates = BITRATE_LADDER.map((r) => r.bitrateKbps);

    expect(BITRATE_LADDER[0]).toEqual({ quality: 'SD', bitrateKbps: 235, width: 320, height: 240, codec: 'avc1.4d401e' });
    expect(BITRATE_LADDER[BITRATE_LADDER.length - 1]).toEqual({ quality: 'UHD', bitrateKbps: 16000, width: 3840, height: 2160, codec: 'hvc1.2.4.L153.B0' });
    expect(bitrates).toEqual([...bitrates].sort((a, b) => a - b));
    const maxHeight = { SD: 480, HD: 1080, UHD: 2160 };
    for (const r of BITRATE_LADDER) expect(r.height).toBeLessThanOrEqual(maxHeight[r.quality]);
  });
});

describe('renditionsFor', () => {
  it('caps the ladder at the plan quality', () => {
    const sd = renditionsFor('SD');
    const hd = renditionsFor('HD');
    const uhd = renditionsFor('UHD');

    expect(sd.map((r) => r.bitrateKbps)).toEqual([235, 375, 560, 750, 1050]);
    expect(hd.map((r) => r.bitrateKbps)).toEqual([235, 375, 560, 750, 1050, 1750, 2350, 3000, 4300, 5800]);
    expect(Math.max(...hd.map((r) => r.height))).toBe(1080);
    expect(uhd).toEqual([...BITRATE_LADDER]);
  });
});

describe('chooseStartBitrate', () => {
  const hd = renditionsFor('HD');

  it('picks the highest rung within 70% of the bandwidth', () => {
    // 5000 x 0.7 = 3500: 3000 fits, 4300 does not.
    expect(chooseStartBitrate(hd, 5000)).toBe(3000);
    // 2500 x 0.7 = 1750 exactly: a rung on the budget fits.
    expect(chooseStartBitrate(hd, 2500)).toBe(1750);
  });

  it('stops at the plan ceiling however fast the connection', () => {
    expect(chooseStartBitrate(renditionsFor('SD'), 100_000)).toBe(1050);
    expect(chooseStartBitrate(renditionsFor('UHD'), 100_000)).toBe(16000);
  });

  it('falls back to the lowest rung for 0 or a bandwidth below it', () => {
    expect(chooseStartBitrate(hd, 0)).toBe(235);
    expect(chooseStartBitrate(hd, 100)).toBe(235);
  });

  it('starts conservatively without an estimate: at most 1750 kbps, within the plan', () => {
    expect(chooseStartBitrate(hd, undefined)).toBe(1750);
    expect(chooseStartBitrate(renditionsFor('UHD'), null)).toBe(1750);
    expect(chooseStartBitrate(renditionsFor('SD'))).toBe(1050);
  });

  it('does not depend on the order of the renditions it is given', () => {
    expect(chooseStartBitrate([...hd].reverse(), 5000)).toBe(3000);
  });

  it('refuses an empty ladder rather than invent a bitrate', () => {
    expect(() => chooseStartBitrate([], 5000)).toThrow(RangeError);
  });
});
