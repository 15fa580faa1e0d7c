/** Vite builds the UI into ui/dist, which the Tauri shell embeds; Vitest runs the UI tests. */
import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'

export default defineConfig({
  plugins: [
    vue(),
    // Element Plus on demand: each <el-…> tag and v-loading used in a template imports that
    // component and its compiled CSS from node_modules, so a screen's chunk carries only what
    // it draws. `src/components.d.ts` (generated, committed) types the tags for vue-tsc.
    Components({
      dirs: [],
      dts: 'src/components.d.ts',
      resolvers: [ElementPlusResolver({ importStyle: 'css' })],
    }),
  ],
  // Compile-time flags of Vue and vue-i18n: every component is written with <script setup>
  // (Element Plus's too), and i18n uses the Composition API only, so the Options API and
  // vue-i18n's legacy API, its global <i18n-t> component and v-t directive, and the devtools
  // hooks are left out of the bundle (less script to parse on the first screen).
  define: {
    __VUE_OPTIONS_API__: 'false',
    __VUE_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    __VUE_I18N_LEGACY_API__: 'false',
    __VUE_I18N_FULL_INSTALL__: 'false',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
  },
  // Relative asset paths: the app is served from Tauri's own protocol, never a web server.
  base: './',
  clearScreen: false,
  build: {
    target: 'safari15',
    chunkSizeWarningLimit: 2000,
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.spec.ts'],
    setupFiles: ['src/__tests__/setup.ts'],
    // Mounting the whole window with its form takes seconds on a loaded 2-core machine.
    testTimeout: 20000,
    // Element Plus's per-component style modules go through Vite, which drops CSS in tests;
    // left to Node they would fail on the .css extension. The components stay with Node.
    server: { deps: { inline: [/element-plus\/es\/components\/[^/]+\/style\//, /element-plus\/theme-chalk\//] } },
  },
})
