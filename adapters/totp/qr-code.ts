/**
 * QR codes as SVG data: URIs (the `qrcode` package). An <img src="data:…"> needs only `img-src
 * data:` in the CSP — no inline script or style, and the SVG cannot run script inside an <img>.
 */
import QRCode from 'qrcode';
import type { QrCodeRenderer } from '../../server/modules/auth/index.js';

export const svgQrCodes: QrCodeRenderer = {
  async dataUri(text) {
    // Error correction M: readable from a screen at a slight angle without making the code dense.
    const svg = await QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
  },
};
