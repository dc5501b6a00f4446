// For clock tests: with ?skew=ms this page's clock (Date.now() and new Date()) runs that far off the
// real one, as a device with a wrong clock does. A classic script, so it runs before any module.
(() => {
  const skew = Number(new URLSearchParams(location.search).get('skew') || 0);
  if (!Number.isFinite(skew) || skew === 0) return;
  const RealDate = Date;
  class SkewedDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(RealDate.now() + skew);
      else super(...args);
    }

    static now() { return RealDate.now() + skew; }
  }
  window.Date = SkewedDate;
})();
