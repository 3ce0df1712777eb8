/** The commands a fix points to; the runbook spells out their full form for this app. */
export const RUN = {
  analyze: 'Run `sealos-deploy analyze`',
  build: 'Build the image with `sealos-deploy build` (or reuse a linux/amd64 image with a unique tag)',
  render: 'Render the template with `sealos-deploy render`',
  rehearse: 'Run `sealos-deploy rehearse` before deploying, or the Truth Pass (`sealos-deploy verify`) after',
  verify: 'Deploy (`sealos-deploy deploy --confirm`) and run the Runtime Truth Pass (`sealos-deploy verify`)',
  reverify: 'Run the Runtime Truth Pass again for the current release (`sealos-deploy verify`)',
  record: 'Record the accepted release with `sealos-deploy record`',
} as const;
